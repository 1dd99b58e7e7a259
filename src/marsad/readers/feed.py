"""RSS and Atom feeds (feedparser), from files or ``http(s)://`` URLs: one article per item, with the item's link
as ``url`` and its date as ``published``. The item's text is its full content when the feed carries it, else its
summary (markup removed). A feed that is not well-formed XML is refused whole (feedparser's lenient mode would
otherwise guess at items from broken markup)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.readers.base import (
    RAW_KEEP,
    ReadResult,
    clean_optional,
    clean_surrogates,
    read_bytes_limited,
    register_reader,
)

FEED_SUFFIXES = (".rss", ".atom", ".rdf", ".feed")


def _sniff(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    if name.endswith(FEED_SUFFIXES):
        return True
    h = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if h.startswith(b"<?xml") or name.endswith(".xml"):
        return any(tag in head.lower() for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    return False


def _html_to_text(fragment: str) -> str:
    """Markup of a feed item → plain text with paragraph breaks (lxml; feed fragments are too small for
    trafilatura's content heuristics)."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - unparseable fragment: keep it as text
        return fragment.strip()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        el.tail = "\n\n" + (el.tail or "")
    lines = [" ".join(ln.split()) for ln in root.text_content().splitlines()]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            return time.strftime("%Y-%m-%d", t)
    return None


_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _surrogate_refs_replaced(data: bytes) -> bytes:
    """A numeric character reference to a surrogate (``&#55296;``) makes feedparser raise UnicodeEncodeError for
    the whole feed; such a reference can only be garbage, so it becomes U+FFFD before parsing."""

    def fix(m: re.Match[bytes]) -> bytes:
        v = m.group(1)
        n = int(v[1:], 16) if v[:1] in b"xX" else int(v)
        return b"&#xFFFD;" if 0xD800 <= n <= 0xDFFF else m.group(0)

    return _CHARREF.sub(fix, data) if b"&#" in data else data


def articles_from_feed(data: bytes | str, *, source: str) -> ReadResult:
    import feedparser

    try:
        parsed = feedparser.parse(_surrogate_refs_replaced(data) if isinstance(data, bytes) else data)
    except Exception as e:  # noqa: BLE001 - a feedparser failure is one rejection for this feed, not a crash
        raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
        yield Rejection("read", "E_FEED_XML", f"the feed could not be parsed: {type(e).__name__}: {e}", source,
                        raw[:RAW_KEEP], attrs={"pointer": source})
        return
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(exc, (feedparser.CharacterEncodingOverride,)):
        raw = data.encode("utf-8") if isinstance(data, str) else data
        yield Rejection(
            "read",
            "E_FEED_XML",
            f"the feed is not well-formed XML: {exc}",
            source,
            raw[:RAW_KEEP],
            attrs={"pointer": source},
        )
        return
    if not parsed.entries:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        yield Rejection(
            "read", "E_FEED_EMPTY", "no items in the feed", source, raw[:RAW_KEEP], attrs={"pointer": source}
        )
        return
    feed_title = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries):
        where = f"{source}#item{i + 1}"
        content = ""
        if entry.get("content"):
            content = max((c.get("value") or "" for c in entry.content), key=len)
        text = _html_to_text(content or entry.get("summary") or entry.get("description") or "")
        title = _html_to_text(entry.get("title") or "") or None
        if not text:
            yield Rejection(
                "read",
                "E_NO_TEXT",
                "feed item has no content or summary",
                where,
                repr(dict(entry))[:RAW_KEEP],
            )
            continue
        # source is the feed itself (not the item position) so the same item read again next week has the same id
        meta: dict[str, Any] = {"feed": {"title": feed_title, "item_id": entry.get("id")}, "origin": where}
        if entry.get("author"):
            meta["author"] = entry.author
        if content or "<" in (entry.get("summary") or ""):
            meta["raw_html"] = clean_optional(content or entry.get("summary"))  # item markup is small: kept inline
        text, lossy = clean_surrogates(text)  # a character reference like &#xd800; decodes to a lone surrogate
        if lossy:
            meta["lossy_decode"] = True
        yield Article.new(
            text,
            source=source,
            key=clean_optional(entry.get("link")) or clean_optional(entry.get("id")) or "",  # not the feed's path
            url=clean_optional(entry.get("link")) or None,
            title=clean_optional(title),
            published=_date(entry),
            meta=meta,
        )


def read_feed_url(url: str) -> ReadResult:
    """Fetch a feed over HTTP(S) and read it (the only reader that touches the network, and only when asked)."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 - user-given feed URL
            data = resp.read(20 * 1024 * 1024)
    except Exception as e:  # noqa: BLE001 - any fetch failure is one rejection naming the URL
        yield Rejection("read", "E_FETCH", f"cannot fetch {url}: {e}", url, None, attrs={"pointer": url})
        return
    yield from articles_from_feed(data, source=url)


@register_reader("feed", _sniff, suffixes=FEED_SUFFIXES)
def read_feed(path: Path | str, **_opts: Any) -> ReadResult:
    if isinstance(path, str) and path.startswith(("http://", "https://")):
        yield from read_feed_url(path)
        return
    path = Path(path)
    try:
        data = read_bytes_limited(path)
    except InputError as e:
        yield Rejection("read", e.code, str(e), str(path), None, attrs={"pointer": str(path)})
        return
    except OSError as e:
        yield Rejection("read", "E_IO", f"cannot read {path}: {e}", str(path), None)
        return
    yield from articles_from_feed(data, source=str(path))


def is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))
