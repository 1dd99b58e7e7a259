"""HTML pages: main-content extraction with trafilatura, title from the page's metadata (trafilatura's metadata
pass), date from :func:`page_date` (htmldate, then an Arabic dateline). The extracted text becomes ``Article.text`` (what the Arabic-aware
cleaner then works on); the raw page stays reachable through ``meta['raw']``, a pointer that :func:`load_raw`
follows (a file path, or a WARC file and record offset)."""

from __future__ import annotations

import base64
import gzip
import os
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.readers.base import (
    RAW_KEEP,
    ReadResult,
    clean_optional,
    clean_surrogates,
    decode_bytes,
    gunzip_limited,
    read_bytes_limited,
    register_reader,
)

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".html.gz", ".htm.gz")
# an extraction shorter than this is a page without an article (index, error page, paywall stub)
MIN_CHARS = 80
PROSE_WORDS = 6

# include_comments=False: reader comments are not the article (on the Arabic test pages this alone lifts body F1
# from 0.92 to 0.96 over trafilatura's default, see bench/bench_extract.py).
EXTRACT_OPTIONS: dict[str, Any] = {"include_comments": False, "include_tables": True, "with_metadata": True}


def _sniff(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    if name.endswith(HTML_SUFFIXES):
        return True
    h = head[:1024].lstrip().lower()
    return h.startswith((b"<!doctype html", b"<html")) or (b"<html" in h and b"<head" in head[:4096].lower())


def article_from_html(
    data: bytes | str,
    *,
    charset: str | None = None,
    source: str,
    url: str | None = None,
    raw_pointer: Mapping[str, Any] | None = None,
    meta: Mapping[str, Any] | None = None,
) -> Article | Rejection:
    """One HTML page → Article (main text, title, date, url) or a Rejection (stage ``read``) that keeps the raw
    page (or a prefix of it and a pointer). The extraction runs under the per-document time limit and a memory
    cap (:mod:`marsad.readers.sandbox`): a page that stalls trafilatura is an ``E_TIMEOUT`` rejection."""
    raw_bytes = data.encode("utf-8") if isinstance(data, str) else data
    m: dict[str, Any] = dict(meta or {})
    if raw_pointer:
        m["raw"] = dict(raw_pointer)
    try:
        if isinstance(data, str):
            html, m["encoding"] = data, "unicode"
        else:
            html, m["encoding"], lossy = _decode_html(data, source=source, charset=charset)
            if lossy:
                m["lossy_decode"] = True
    except InputError as e:
        return Rejection("read", e.code, str(e), source, raw_bytes[:RAW_KEEP], attrs=_attrs(raw_pointer))
    if "<" not in html[:4096]:
        return Rejection(
            "read",
            "E_NOT_HTML",
            "the input has no HTML markup",
            source,
            raw_bytes[:RAW_KEEP],
            attrs=_attrs(raw_pointer),
        )
    from marsad.readers import sandbox

    limit = sandbox.TIME_LIMIT
    try:
        page = sandbox.call("marsad.readers.html:extract_page", html, url)
    except sandbox.SandboxTimeout:
        return Rejection(
            "read", "E_TIMEOUT", f"reading the page took longer than {limit:g}s (per-document limit)", source,
            raw_bytes[:RAW_KEEP], attrs=_attrs(raw_pointer, raw_bytes),
        )  # fmt: skip
    except sandbox.SandboxMemory as e:
        return Rejection("read", "E_TOO_LARGE", f"the page is too large to read: {e}", source, raw_bytes[:RAW_KEEP],
                         attrs=_attrs(raw_pointer, raw_bytes))
    except sandbox.SandboxCrash as e:
        return Rejection("read", "E_HTML", f"HTML extraction failed: {e}", source, raw_bytes[:RAW_KEEP],
                         attrs=_attrs(raw_pointer, raw_bytes))
    d, text, prose, extractor, failure = page["d"], page["text"], page["prose"], page["extractor"], page["failure"]
    if failure is not None and prose < MIN_CHARS:
        return Rejection(
            "read",
            "E_HTML",
            f"HTML extraction failed: {failure}",
            source,
            raw_bytes[:RAW_KEEP],
            attrs=_attrs(raw_pointer),
        )
    if prose < MIN_CHARS:
        return Rejection(
            "read",
            "E_NO_ARTICLE",
            f"no article text found in the page ({prose} characters of prose in the main content)",
            source,
            raw_bytes[:RAW_KEEP],
            attrs=_attrs(raw_pointer),
        )
    page_meta = {
        k: d.get(k)
        for k in ("author", "sitename", "hostname", "description", "image", "pagetype")
        if d.get(k)
    }
    if d.get("tags"):
        page_meta["tags"] = d["tags"]
    if page_meta:
        m["page"] = page_meta
    m["extractor"] = extractor
    page_url = url or d.get("url") or None
    published, how = page["published"], page["date_from"]
    if published:
        m["date_from"] = how
    text, lossy = clean_surrogates(text)
    if lossy:
        m["lossy_decode"] = True
    return Article.new(
        text,
        source=source,
        # the id: the page's URL and text, never the file path or WARC offset it was read from
        key=page_url or "",
        url=page_url,
        title=clean_optional(clean_title(d.get("title"), d.get("sitename"))),
        published=published,
        meta=m,
    )


def extract_page(html: str, url: str | None) -> dict[str, Any]:
    """The slow part of reading a page (trafilatura, the plain-text fallback, the date search), as plain data:
    it runs in the reader sandbox (marsad.readers.sandbox), under the per-document time limit."""
    from trafilatura import bare_extraction
    from trafilatura.settings import set_date_params

    failure: Exception | None = None
    try:
        # with_metadata also runs htmldate; its date is not used (page_date below finds ours), so it runs in quick
        # mode: the extensive mode loads dateparser (2.2 s per process) to find a date this reader then discards
        doc = bare_extraction(html, url=url, date_extraction_params=set_date_params(False), **EXTRACT_OPTIONS)
    except Exception as e:  # lxml/trafilatura failures on pathological markup: try the plain-text fallback
        doc, failure = None, e
    full: dict[str, Any] = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (full.get("text") or "").strip()
    prose = _prose(text)
    extractor = "trafilatura"
    d = {k: full.get(k) for k in ("title", "sitename", "url", "author", "hostname", "description", "image",
                                  "pagetype", "tags")}
    if prose < MIN_CHARS:
        # libxml2 stops building the tree past 256 levels of nesting, so trafilatura never sees the text of a
        # deeply nested page; a depth-free event parser still does. Used only when trafilatura failed or the
        # markup is that deep, so ordinary article-less pages (menus, stubs) are still refused.
        plain = plain_text(html)
        if failure is not None or plain.max_depth >= FALLBACK_DEPTH:
            text, prose = plain.text, _prose(plain.text)
            d = {"title": plain.title}
            extractor = f"plain-text fallback (nesting depth {plain.max_depth})"
    published, how = (None, "")
    if prose >= MIN_CHARS:
        published, how = page_date(html, text, url=url or d.get("url") or None)
    return {
        "d": d, "text": text, "prose": prose, "extractor": extractor, "published": published, "date_from": how,
        "failure": None if failure is None else f"{type(failure).__name__}: {failure}",
    }  # fmt: skip


def _prose(text: str) -> int:
    """Characters in lines of at least PROSE_WORDS words: trafilatura falls back to "all text" on pages without
    an article (section fronts, menus), so an article needs prose, not just a pile of link labels."""
    return sum(len(ln) for ln in text.splitlines() if len(ln.split()) >= PROSE_WORDS)


FALLBACK_DEPTH = 200  # nesting at which libxml2 (limit 256) may already have dropped content
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SKIP = frozenset("script style noscript template svg iframe object select button".split())
_BLOCK = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer nav aside blockquote pre br "
    "dd dt dl figure figcaption form main".split()
)


@dataclass
class PlainText:
    text: str
    title: str | None
    max_depth: int


def plain_text(html: str) -> PlainText:
    """Visible text of a page with one line per block, from the standard library's event parser: it keeps no
    tree, so its cost is linear in the input whatever the nesting (lxml's parser drops content past 256 levels).
    Used only as a fallback for pages trafilatura cannot read."""
    from html.parser import HTMLParser

    parts: list[str] = []
    title: list[str] = []
    state = {"skip": 0, "title": False, "depth": 0, "max": 0}

    class _P(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _BLOCK:
                parts.append("\n")
            if tag in _VOID:
                return
            state["depth"] += 1
            state["max"] = max(state["max"], state["depth"])
            if tag in _SKIP:
                state["skip"] += 1
            elif tag == "title":
                state["title"] = True

        def handle_endtag(self, tag: str) -> None:
            if tag in _VOID:
                return
            state["depth"] = max(0, state["depth"] - 1)
            if tag in _SKIP:
                state["skip"] = max(0, state["skip"] - 1)
            elif tag == "title":
                state["title"] = False
            if tag in _BLOCK:
                parts.append("\n")

        def handle_data(self, data: str) -> None:
            if state["title"]:
                title.append(data)
            elif not state["skip"]:
                parts.append(data)

    p = _P(convert_charrefs=True)
    p.feed(html)
    p.close()
    lines = [" ".join(ln.split()) for ln in "".join(parts).splitlines()]
    t = " ".join("".join(title).split()) or None
    return PlainText("\n".join(ln for ln in lines if ln), t, state["max"])


def page_date(html: str, main_text: str, *, url: str | None = None) -> tuple[str | None, str]:
    """Publication date of a page: htmldate on the page's metadata and markup first (quick mode, which only
    trusts structured evidence); then an Arabic dateline near where the article starts (htmldate does not read
    Arabic month names, e.g. الأحد، 04 آب/أغسطس 2013); last htmldate's extensive search."""
    from htmldate import find_date

    kw: dict[str, Any] = {"url": url, "original_date": True, "outputformat": "%Y-%m-%d"}
    try:
        found = find_date(html, extensive_search=False, **kw)
        if found:
            return found, "htmldate"
    except Exception:  # noqa: BLE001 - htmldate on odd markup: fall through to the other sources
        pass
    dateline = _dateline(html, main_text)
    if dateline:
        return dateline, "dateline"
    try:
        found = find_date(html, extensive_search=True, **kw)
    except Exception:  # noqa: BLE001
        found = None
    return (found, "htmldate-extensive") if found else (None, "")


def _dateline(html: str, main_text: str) -> str | None:
    from trafilatura import html2txt

    from marsad.lang.ar.dates import parse_date

    page = html2txt(html) or ""
    anchor = page.find(main_text[:40]) if main_text else -1
    if anchor < 0:
        return None
    # datelines sit between the headline and the first paragraph, or just under it
    window = page[max(0, anchor - 1500) : anchor + 300]
    return parse_date(window)


_TITLE_SEPS = (" - ", " | ", " – ", " — ", " :: ", " « ")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(data: bytes, *, source: str, charset: str | None = None) -> tuple[str, str, bool]:
    """HTML bytes → text: strict UTF-8 first; then the charset the server or the page declares (HTTP header,
    ``<meta charset>``), strictly; then statistical detection (``decode_bytes``). A declaration is more reliable
    than detection on pages whose first kilobytes are mostly ASCII markup."""
    if not data.strip():
        raise InputError(f"{source or 'input'} is empty", code="E_EMPTY")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig", False
    if b"\x00" in data[:8192] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        dec = decode_bytes(data, source=source)  # UTF-16 or binary: the spine's detector knows both
        return dec.text, dec.encoding, dec.lossy
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    declared = [charset] if charset else []
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared.append(m.group(1).decode("ascii", "ignore"))
    for enc in declared:
        enc = {"windows-1256": "cp1256", "iso-8859-6": "iso8859_6"}.get(enc.lower(), enc)
        try:
            return data.decode(enc), enc, False
        except (UnicodeDecodeError, LookupError):
            continue
    dec = decode_bytes(data, source=source)
    return dec.text, dec.encoding, dec.lossy


def clean_title(title: str | None, sitename: str | None = None) -> str | None:
    """The headline without the site name that pages glue to it (``… - اليوم السابع``, ``المدينة نيوز - …``)."""
    if not title:
        return None
    t = " ".join(title.split())
    site = " ".join((sitename or "").split())
    for sep in _TITLE_SEPS:
        if sep not in t:
            continue
        parts = t.split(sep)
        head, tail = parts[0].strip(), parts[-1].strip()
        if site and (tail == site or site in tail) and len(tail.split()) <= 6:
            return sep.join(parts[:-1]).strip() or t
        if site and (head == site or site in head) and len(head.split()) <= 6:
            return sep.join(parts[1:]).strip() or t
        if len(parts) == 2 and len(tail.split()) <= 3 and len(head.split()) >= 4:
            return (
                head  # "headline - Outlet": a short trailing segment is the outlet even without og:site_name
            )
        if len(parts) == 2 and len(head.split()) <= 3 and len(tail.split()) >= 4:
            return tail  # "Outlet - headline"
    return t


def _attrs(ptr: Mapping[str, Any] | None, raw: bytes | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"pointer": pointer_str(ptr)} if ptr else {}
    if raw is not None and len(raw) > RAW_KEEP:
        out["raw_size"] = len(raw)  # only the first RAW_KEEP bytes are kept inline; the pointer has the rest
    return out


def pointer_str(ptr: Mapping[str, Any]) -> str:
    if "warc" in ptr:
        return f"{ptr['warc']}@{ptr.get('offset', 0)}"
    return str(ptr.get("path", ""))


def load_raw(article: Article) -> bytes:
    """The raw page an article came from, following ``meta['raw']``. Raises InputError when it is gone."""
    ptr = article.meta.get("raw")
    if not ptr:
        raise InputError(f"article {article.id} has no raw-input pointer", code="E_NO_RAW")
    try:
        if "warc" in ptr:
            from marsad.readers.warc import read_record_at

            return read_record_at(Path(ptr["warc"]), int(ptr.get("offset", 0)))
        path = Path(os.fsdecode(base64.b64decode(ptr["path_b64"]))) if ptr.get("path_b64") else Path(ptr["path"])
        data = path.read_bytes()
        return gzip.decompress(data) if ptr.get("compression") == "gzip" else data
    except OSError as e:
        raise InputError(f"raw input of {article.id} is not readable: {e}", code="E_NO_RAW") from e


@register_reader("html", _sniff, suffixes=HTML_SUFFIXES)
def read_html(path: Path, **_opts: Any) -> ReadResult:
    source = str(path)
    ptr: dict[str, Any] = {"path": str(path.resolve())}
    try:
        data = read_bytes_limited(path)
        if path.name.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
            data = gunzip_limited(data)  # a gzip bomb is refused, not expanded
            ptr["compression"] = "gzip"
    except InputError as e:
        yield Rejection("read", e.code, str(e), source, _head(path), attrs={"pointer": source})
        return
    except (OSError, EOFError, zlib.error) as e:
        yield Rejection("read", "E_IO", f"cannot read {path}: {e}", source, _head(path), attrs={"pointer": source})
        return
    yield article_from_html(data, source=source, raw_pointer=ptr)


def _head(path: Path) -> bytes | None:
    """The first RAW_KEEP bytes of a file a rejection names, when they can be read at all."""
    try:
        with open(path, "rb") as f:
            return f.read(RAW_KEEP)
    except OSError:
        return None
