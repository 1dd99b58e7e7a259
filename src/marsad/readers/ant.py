"""The ANT corpus' TREC-like files (``<DOC><DOCNO/><URL/><SRC/><CAT/><TITLE/><TIME/><AUTHOR/><ABSTRACT/><TEXT/>``).

The files are not well-formed XML (no escaping of ``& < >`` in the text), so fields are cut out with a regex
rather than an XML parser. ``TEXT`` (already-extracted body, one paragraph a line) becomes ``Article.text``;
title, RSS-style time, URL and outlet become given metadata; DOCNO, category, author and abstract go to ``meta``.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
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
    read_bytes_limited,
    register_reader,
)

_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S)
_FIELD = re.compile(r"<(DOCNO|URL|SRC|CAT|TITLE|TIME|AUTHOR|ABSTRACT|TEXT)>(.*?)</\1>", re.S)


def _sniff(path: Path, head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return h.startswith(b"<DOC>") and b"<DOCNO>" in head[:512]


def _time(value: str) -> tuple[str | None, str | None]:
    try:
        dt = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None, None
    return dt.strftime("%Y-%m-%d"), dt.strftime("%H:%M")


def doc_to_article(block: str, *, where: str, path: str) -> Article | Rejection:
    fields = {k: v.strip() for k, v in _FIELD.findall(block)}
    text = fields.get("TEXT", "").strip("\r\n")
    if not text.strip():
        return Rejection("read", "E_NO_TEXT", "ANT document has no <TEXT>", where, block[:RAW_KEEP])
    published, hhmm = _time(fields.get("TIME", ""))
    meta: dict[str, Any] = {"path": path, "corpus": "ANT"}
    for k in ("DOCNO", "CAT", "AUTHOR", "ABSTRACT"):
        if fields.get(k):
            meta[k.lower()] = fields[k]
    if fields.get("TIME"):
        meta["time_raw"] = fields["TIME"]
    text, lossy = clean_surrogates(text)
    if lossy:
        meta["lossy_decode"] = True
    art = Article.new(
        text,
        source=clean_optional(fields.get("SRC")) or "ANT",
        url=clean_optional(fields.get("URL")) or None,
        title=clean_optional(fields.get("TITLE")) or None,
        published=published,
        meta=meta,
    )
    return art.evolve(published_time=hhmm) if hhmm else art


@register_reader("ant", _sniff)
def read_ant(path: Path, **_opts: Any) -> ReadResult:
    source = str(path)
    try:
        data = read_bytes_limited(path)
        text = decode_bytes(data, source=source).text
    except InputError as e:
        yield Rejection("read", e.code, str(e), source, None, attrs={"pointer": source})
        return
    except OSError as e:
        yield Rejection("read", "E_IO", f"cannot read {path}: {e}", source, None)
        return
    blocks = _DOC.findall(text)
    if not blocks:
        yield Rejection(
            "read",
            "E_FORMAT",
            "not an ANT/TREC file (no <DOC>...</DOC> block)",
            source,
            data[:RAW_KEEP],
            attrs={"pointer": source},
        )
        return
    for i, block in enumerate(blocks):
        yield doc_to_article(block, where=source if len(blocks) == 1 else f"{source}#doc{i + 1}", path=source)
