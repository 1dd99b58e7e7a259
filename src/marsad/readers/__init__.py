"""Readers turn sources into :class:`~marsad.data.Article` records (or :class:`~marsad.data.Rejection`).

One module per format; each registers itself with a sniffer. :func:`read_paths` expands directories and globs and
dispatches every file to the first reader whose sniffer accepts it (plain text is the fallback).
"""

from __future__ import annotations

import glob as _glob
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from marsad.data import Rejection
from marsad.readers import jsonl as _jsonl  # noqa: F401  (registers)
from marsad.readers import text as _text  # noqa: F401
from marsad.readers.base import (
    MAGIC,
    READERS,
    SUFFIXES,
    ReadResult,
    clean_surrogates,
    decode_bytes,
    register_reader,
)
from marsad.readers.jsonl import read_jsonl_stream

# Optional format readers register themselves on import; a missing one simply is not offered.
for _mod in ("html", "warc", "feed", "ant", "saudinewsnet"):
    try:
        __import__(f"marsad.readers.{_mod}")
    except ImportError:
        pass

__all__ = ["READERS", "clean_surrogates", "decode_bytes", "expand_paths", "read_paths", "register_reader"]

_ORDER_LAST = ("text",)


def expand_paths(paths: Iterable[str]) -> Iterator[Path | Rejection]:
    for p in paths:
        if p == "-":
            yield Path("-")
            continue
        if any(ch in p for ch in "*?["):
            hits = sorted(_glob.glob(p, recursive=True))
            if not hits:
                yield Rejection("read", "E_NO_MATCH", f"no file matches {p!r}", p, None)
            for h in hits:
                yield from expand_paths([h])
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and not f.name.startswith("."))
            yield from (f for f in files if not _is_sidecar(f))
        elif path.exists():
            yield path
        else:
            yield Rejection("read", "E_NOT_FOUND", f"no such file or directory: {p}", p, None)


def _is_sidecar(f: Path) -> bool:
    return f.name.lower() in {"readme.txt", "readme.md", "readme", "license", "license.txt"}


def reader_for(path: Path, fmt: str | None = None):
    if fmt:
        if fmt not in READERS:
            from marsad.errors import ConfigError

            raise ConfigError(f"unknown input format {fmt!r}; known: {sorted(READERS)}", code="E202")
        return READERS[fmt][1]
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        head = b""
    strong = _strong_match(path, head)
    if strong:
        return READERS[strong][1]
    names = [n for n in READERS if n not in _ORDER_LAST] + [n for n in _ORDER_LAST if n in READERS]
    for name in names:
        sniff, fn = READERS[name]
        if sniff(path, head):
            return fn
    return READERS["text"][1]


def _strong_match(path: Path, head: bytes) -> str | None:
    """The reader that the file's magic bytes or its name's suffix name, before any content sniffer runs.
    Content sniffers look for markers anywhere in the first kilobytes, so they misfire on containers: a plain
    WARC's first HTTP payload contains ``<html``, which made the whole WARC one HTML page. Magic at byte 0
    (also inside a gzip stream) is the most reliable evidence, then the longest registered suffix."""
    heads = [head]
    if head[:2] == b"\x1f\x8b":
        import zlib

        try:
            heads.append(zlib.decompressobj(31).decompress(head, 512))
        except zlib.error:
            pass
    for name, magics in MAGIC.items():
        if any(h.startswith(magics) for h in heads):
            return name
    fname = path.name.lower()
    best: tuple[int, str] | None = None
    for name, suffixes in SUFFIXES.items():
        for suf in suffixes:
            if fname.endswith(suf) and (best is None or len(suf) > best[0]):
                best = (len(suf), name)
    return best[1] if best else None


def read_paths(paths: Iterable[str], *, fmt: str | None = None, field_map: Mapping[str, str] | None = None,
               **opts) -> ReadResult:
    """Every article (or rejection) from files, directories, globs, and ``-`` (stdin: JSONL when every
    non-empty line is a JSON object, else one text page)."""
    for item in expand_paths(paths):
        if isinstance(item, Rejection):
            yield item
            continue
        if str(item) == "-":
            yield from _read_stdin(fmt=fmt, field_map=field_map)
            continue
        fn = reader_for(item, fmt)
        yield from guarded(fn(item, field_map=field_map, **opts), str(item))


def guarded(records: ReadResult, source: str) -> ReadResult:
    """A reader's output with two guarantees: a reader that raises ends in a rejection (the records before it
    are kept), and a file that yields nothing at all becomes a rejection too, so no input vanishes silently."""
    n = 0
    try:
        for rec in records:
            n += 1
            yield rec
    except Exception as e:  # a reader bug must not stop the run nor lose the rest of the inputs silently
        yield Rejection("read", "E_READER", f"reader failed after {n} records: {type(e).__name__}: {e}", source, None)
        return
    if n == 0:
        yield Rejection("read", "E_NO_RECORDS", "the reader found neither an article nor an error in this file",
                        source, None, attrs={"path": source})


def _read_stdin(*, fmt: str | None, field_map) -> ReadResult:
    import io

    from marsad.readers.text import article_from_bytes

    data = sys.stdin.buffer.read()
    first = data.lstrip()[:1]
    if fmt == "jsonl" or (fmt is None and first == b"{"):
        yield from read_jsonl_stream(io.BytesIO(data), name="<stdin>", field_map=field_map)
        return
    try:
        yield article_from_bytes(data, source="<stdin>")
    except Exception as e:
        yield Rejection("read", getattr(e, "code", "E_DECODE"), str(e), "<stdin>", data[:65536])
