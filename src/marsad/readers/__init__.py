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
    escape_name,
    refuse_degenerate,
    register_reader,
    tidy_names,
)
from marsad.readers.jsonl import read_jsonl_stream

# Optional format readers register themselves on import; a missing one simply is not offered.
for _mod in ("html", "warc", "feed", "ant", "saudinewsnet"):
    try:
        __import__(f"marsad.readers.{_mod}")
    except ImportError:
        pass

__all__ = ["READERS", "clean_surrogates", "decode_bytes", "expand_paths", "read_file", "read_paths",
           "refuse_special", "register_reader"]

_ORDER_LAST = ("text",)


# Folder expansion leaves these out (named on the command line they are read): hidden entries (".git", ".DS_Store")
# and the README/LICENSE files that sit beside a corpus. They are counted, never silent: see ``skipped``.
SIDECARS = frozenset({"readme.txt", "readme.md", "readme", "license", "license.txt", "license.md"})


def expand_paths(paths: Iterable[str], *, skipped: list[str] | None = None) -> Iterator[Path | Rejection]:
    """Files named by ``paths`` (files, folders walked recursively, globs, ``-``), in a stable order.

    Every input is accounted for: a name that matches nothing, a broken symbolic link, an unreadable folder and a
    special file (FIFO, device, socket) become rejections; hidden entries and README/LICENSE sidecars inside a
    folder are left out and their names appended to ``skipped`` (the CLI prints how many). Symbolic links to
    folders are followed once (a link loop is not walked twice)."""
    for p in paths:
        if p == "-":
            yield Path("-")
            continue
        if any(ch in p for ch in "*?[") and not Path(p).exists():
            hits = sorted(_glob.glob(p, recursive=True))
            if not hits:
                yield Rejection("read", "E_NO_MATCH", f"no file matches {escape_name(p)!r}", escape_name(p), None)
            for h in hits:
                yield from expand_paths([h], skipped=skipped)
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, skipped)
        elif path.exists():
            yield path
        elif path.is_symlink():
            yield _rejection(path, "E_NOT_FOUND", f"broken symbolic link: {escape_name(p)} points to nothing")
        else:
            yield _rejection(path, "E_NOT_FOUND", f"no such file or directory: {escape_name(p)}")


def _walk(root: Path, skipped: list[str] | None) -> Iterator[Path | Rejection]:
    import os

    seen: set[tuple[int, int]] = set()
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=True):
        for err in errors:
            name = err.filename if isinstance(err.filename, str) else str(dirpath)
            yield _rejection(Path(name), "E_IO", f"cannot list folder {escape_name(name)}: {err.strerror or err}")
        errors.clear()
        try:
            st = os.stat(dirpath)
            ident = (st.st_dev, st.st_ino)
        except OSError:
            ident = None
        if ident is not None and ident in seen:  # a symlink back to a folder already walked
            dirnames[:] = []
            continue
        if ident is not None:
            seen.add(ident)
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                if skipped is not None:
                    skipped.append(str(Path(dirpath) / d) + "/")
            else:
                keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            full = Path(dirpath) / f
            if f.startswith(".") or f.lower() in SIDECARS:
                if skipped is not None:
                    skipped.append(str(full))
                continue
            if full.is_symlink() and not full.exists():
                yield _rejection(full, "E_NOT_FOUND", f"broken symbolic link: {escape_name(str(full))} points to nothing")
                continue
            yield full
    for err in errors:  # an unreadable root, or the last folder visited
        name = err.filename if isinstance(err.filename, str) else str(root)
        yield _rejection(Path(name), "E_IO", f"cannot list folder {escape_name(name)}: {err.strerror or err}")


def _rejection(path: Path, code: str, reason: str) -> Rejection:
    name = escape_name(str(path))
    return Rejection("read", code, reason, name, None, attrs={"path": name})


def refuse_special(path: Path) -> Rejection | None:
    """A rejection for anything that is not a regular file (FIFO, character or block device, socket): reading one
    can block forever (a FIFO with no writer) or never end (``/dev/zero``). ``-`` reads standard input."""
    import stat as _stat

    try:
        mode = path.stat().st_mode
    except OSError as e:
        return _rejection(path, "E_IO", f"cannot read {escape_name(str(path))}: {e.strerror or e}")
    if _stat.S_ISREG(mode):
        return None
    kind = ("a FIFO (named pipe)" if _stat.S_ISFIFO(mode) else "a character device" if _stat.S_ISCHR(mode)
            else "a block device" if _stat.S_ISBLK(mode) else "a socket" if _stat.S_ISSOCK(mode)
            else "not a regular file")
    return _rejection(path, "E_SPECIAL_FILE", f"{escape_name(str(path))} is {kind}, not a regular file; only "
                      "regular files are read (pipe data in with '-' instead)")


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
               skipped: list[str] | None = None, **opts) -> ReadResult:
    """Every article (or rejection) from files, directories, globs, and ``-`` (stdin: JSONL when every
    non-empty line is a JSON object, else one text page). ``skipped`` collects what folder expansion left out."""
    for item in expand_paths(paths, skipped=skipped):
        if isinstance(item, Rejection):
            yield item
            continue
        if str(item) == "-":
            yield from guarded(_read_stdin(fmt=fmt, field_map=field_map), "<stdin>")
            continue
        yield from read_file(item, fmt=fmt, field_map=field_map, **opts)


def read_file(path: Path, *, fmt: str | None = None, field_map: Mapping[str, str] | None = None,
              **opts) -> ReadResult:
    """The records of one already expanded file: special files refused before anything opens them, reader
    failures and silent files turned into rejections, names that are not valid UTF-8 kept escaped."""
    refused = refuse_special(path)
    if refused is not None:
        yield refused
        return
    fn = reader_for(path, fmt)
    yield from guarded(fn(path, field_map=field_map, **opts), str(path))


def guarded(records: ReadResult, source: str) -> ReadResult:
    """A reader's output with two guarantees: a reader that raises ends in a rejection (the records before it
    are kept), and a file that yields nothing at all becomes a rejection too, so no input vanishes silently."""
    n = 0
    source = escape_name(source)
    try:
        for rec in records:
            n += 1
            yield refuse_degenerate(tidy_names(rec))
    except Exception as e:  # a reader bug must not stop the run nor lose the rest of the inputs silently
        yield Rejection("read", "E_READER", f"reader failed after {n} records: {type(e).__name__}: {e}", source,
                        None, attrs={"path": source})
        return
    if n == 0:
        yield Rejection("read", "E_NO_RECORDS", "the reader found neither an article nor an error in this file",
                        source, None, attrs={"path": source})


def _read_stdin(*, fmt: str | None, field_map) -> ReadResult:
    """Standard input, bounded like a file: JSONL line by line (each line capped), a text page up to
    MAX_DOC_BYTES (more is one ``E_TOO_LARGE`` rejection with the first 64 KB kept, and is not read on)."""
    from marsad.readers.base import MAX_DOC_BYTES, RAW_KEEP, read_stream_limited
    from marsad.readers.text import article_from_bytes

    stream = sys.stdin.buffer
    peek = getattr(stream, "peek", None)
    head = peek(4096)[:4096] if callable(peek) else b""
    first = head.lstrip()[:1]
    if fmt == "jsonl" or (fmt is None and first == b"{"):
        yield from read_jsonl_stream(stream, name="<stdin>", field_map=field_map)
        return
    data, more = read_stream_limited(stream)
    if more:
        yield Rejection("read", "E_TOO_LARGE", f"standard input is over the {MAX_DOC_BYTES / 1e6:.0f} MB limit for "
                        "one article (pipe JSONL, one record a line, for more)", "<stdin>", data[:RAW_KEEP])
        return
    try:
        yield article_from_bytes(data, source="<stdin>")
    except Exception as e:
        yield Rejection("read", getattr(e, "code", "E_DECODE"), str(e), "<stdin>", data[:RAW_KEEP])
