"""JSONL records: one article per line with ``text`` and optional ``id``, ``title``, ``published``, ``url``,
``source``. Given metadata wins over anything the cleaner would guess. ``field_map`` renames fields
(e.g. ``{"text": "content", "published": "date"}``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection
from marsad.readers.base import (
    MAX_DOC_BYTES,
    RAW_KEEP,
    ReadResult,
    bad_id_reason,
    clean_surrogates,
    decode_bytes,
    register_reader,
)

FIELDS = ("id", "text", "title", "published", "url", "source")
# A corpus's own names for our fields, used when the record lacks ours and no --field mapping says otherwise
# (ANT's JSONL: time, src, docno; common feeds: date, pubDate, content, body, link, outlet).
ALIASES: dict[str, tuple[str, ...]] = {
    "published": ("time", "date", "pubDate", "published_at", "datetime"),
    "source": ("src", "outlet", "site"),
    "text": ("content", "body"),
    "url": ("link",),
}


def _sniff(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in {".jsonl", ".ndjson"} or path.name.lower().endswith((".jsonl.gz", ".ndjson.gz"))


def record_to_article(rec: Mapping[str, Any], *, where: str, field_map: Mapping[str, str] | None = None,
                      default_source: str = "") -> Article | Rejection:
    fm = {f: f for f in FIELDS}
    fm.update(field_map or {})
    if not isinstance(rec, Mapping):
        return Rejection("read", "E_JSON_TYPE", "line is JSON but not an object", where, json.dumps(rec)[:RAW_KEEP])
    for ours, theirs in ALIASES.items():
        if (field_map or {}).get(ours) is None and fm[ours] not in rec:
            fm[ours] = next((t for t in theirs if t in rec), fm[ours])
    text = rec.get(fm["text"])
    if not isinstance(text, str) or not text.strip():
        return Rejection("read", "E_NO_TEXT", f"record has no non-empty '{fm['text']}' field", where,
                         json.dumps(rec, ensure_ascii=False)[:RAW_KEEP])
    meta = {k: v for k, v in rec.items() if k not in set(fm.values())}
    given = rec.get(fm["published"])
    when = None
    if given not in (None, ""):
        from marsad.errors import InputError
        from marsad.readers.given_date import parse_given_date

        try:
            when = parse_given_date(given, field=fm["published"])
        except InputError as e:  # a given date we cannot read is refused, never stored verbatim
            return Rejection("read", e.code, e.args[0], where, json.dumps(rec, ensure_ascii=False)[:RAW_KEEP])
    rid = rec.get(fm["id"])
    bad = bad_id_reason(str(rid)) if rid is not None else None
    if bad:  # an id that cannot be a URL segment would be stored but unreachable (404) in the API and web UI
        return Rejection("read", "E_BAD_ID", bad, where, json.dumps(rec, ensure_ascii=False)[:RAW_KEEP])
    # JSON can carry lone surrogates (\ud800) that no stage, SQLite or Parquet can take: replace them, say so.
    text, lossy = _valid_unicode(text)
    m: dict[str, Any] = {"record": meta, "origin": where} if meta else {"origin": where}
    if lossy:
        m["lossy_decode"] = True
    art = Article.new(
        text,
        id=str(rid) if rid is not None else None,
        source=str(rec.get(fm["source"]) or default_source),
        key=str(rec.get(fm["source"]) or ""),  # a record's outlet, never the file name it was read from
        url=_scalar_str(rec.get(fm["url"])),
        title=_scalar_str(rec.get(fm["title"])),
        published=when.date if when else None,
        meta=m | ({"published_utc": when.utc} if when and when.utc else {}),
    )
    return art.evolve(published_time=when.time) if when and when.time else art


def _valid_unicode(s: str) -> tuple[str, bool]:
    return clean_surrogates(s)


def _scalar_str(v: Any) -> str | None:
    """A title or URL given as a number stays usable; a list or object is not a title."""
    if v is None or isinstance(v, (dict, list, bool)) or v == "":
        return None
    return _valid_unicode(str(v))[0]


def _bounded_lines(stream: Iterable[bytes]) -> Iterator[tuple[bytes, int]]:
    """``(line, size)``; from a file, lines are read at most MAX_DOC_BYTES + 1 bytes at a time: an oversized
    line comes as its first part plus its full size and the rest is skipped in chunks, so a 1 GB line (or a
    gzip bomb of one) never sits in memory."""
    readline = getattr(stream, "readline", None)
    if readline is None:
        for line in stream:
            yield line, len(line)
        return
    while True:
        line = readline(MAX_DOC_BYTES + 1)
        if not line:
            return
        size = len(line)
        if size > MAX_DOC_BYTES and not line.endswith(b"\n"):
            while True:
                rest = readline(1 << 20)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line, size


def read_jsonl_stream(stream: Iterable[bytes], *, name: str, field_map: Mapping[str, str] | None = None) -> ReadResult:
    for lineno, (line, size) in enumerate(_bounded_lines(stream), 1):
        where = f"{name}:{lineno}"
        if not line.strip():
            continue
        if size > MAX_DOC_BYTES:
            yield Rejection("read", "E_TOO_LARGE", f"line is {size / 1e6:.1f} MB, over the "
                            f"{MAX_DOC_BYTES / 1e6:.0f} MB limit for one record", where, line[:RAW_KEEP])
            continue
        try:
            txt = decode_bytes(line, source=where).text
            rec = json.loads(txt)
        except json.JSONDecodeError as e:
            yield Rejection("read", "E_JSON", f"malformed JSON ({e.msg} at column {e.colno})", where, line[:RAW_KEEP])
            continue
        except Exception as e:  # InputError (binary line) or a decoding surprise
            yield Rejection("read", getattr(e, "code", "E_DECODE"), str(e), where, line[:RAW_KEEP])
            continue
        yield record_to_article(rec, where=where, field_map=field_map, default_source=name)


@register_reader("jsonl", _sniff, suffixes=(".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"))
def read_jsonl(path: Path, *, field_map: Mapping[str, str] | None = None, **_opts) -> ReadResult:
    import gzip

    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            yield from read_jsonl_stream(f, name=str(path), field_map=field_map)
    except OSError as e:
        yield Rejection("read", "E_IO", f"cannot read {path}: {e}", str(path), None, attrs={"path": str(path)})
