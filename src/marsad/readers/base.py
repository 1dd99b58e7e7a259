"""Shared reader machinery: byte decoding with detection, size limits, and the reader registry."""

from __future__ import annotations

import base64
import codecs
import dataclasses
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection, replace_lone_surrogates
from marsad.errors import InputError

MAX_DOC_BYTES = 20 * 1024 * 1024  # one article larger than this is refused (a pointer to it is kept)
RAW_KEEP = 64 * 1024  # bytes of a refused oversized input kept inline with the rejection

ReadResult = Iterator[Article | Rejection]


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    lossy: bool  # True when undecodable bytes had to be replaced


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of C0 control bytes in the first 8 KB (not UTF-16, which is checked first)."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl / len(head) > 0.05


def decode_bytes(data: bytes, *, source: str = "") -> Decoded:
    """Decode bytes to text: BOMs first, then strict UTF-8, then charset-normalizer (which handles windows-1256
    and ISO-8859-6). Raises InputError for empty or binary input."""
    if not data.strip():
        raise InputError(f"{source or 'input'} is empty", code="E_EMPTY")
    dec = _decode(data, source)
    if not dec.text.strip():  # e.g. a lone BOM, or BOM + whitespace: nothing left once decoded
        raise InputError(f"{source or 'input'} is empty", code="E_EMPTY")
    return dec


def _decode(data: bytes, source: str) -> Decoded:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return Decoded(data.decode(enc, "replace"), enc, False)
    # BOM-less UTF-16: the high byte of (almost) every code unit is 0x00 (ASCII) or 0x06 (Arabic block); a NUL
    # count alone misses Arabic text, whose only NULs are the spaces' high bytes.
    enc16 = _utf16_without_bom(data)
    if enc16:
        return Decoded(data.decode(enc16), enc16, False)
    if looks_binary(data):
        raise InputError(f"{source or 'input'} looks like a binary file, not text", code="E_BINARY")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["cp1256", "iso8859_6", "utf_8", "cp1252", "latin_1"]).best()
    enc = best.encoding if best is not None else "cp1256"
    if enc in ("cp1256", "iso8859_6"):
        enc = _arabic_codepage(data, enc)
    try:
        return Decoded(data.decode(enc), enc, False)
    except (UnicodeDecodeError, LookupError):
        return Decoded(data.decode("utf-8", "replace"), "utf-8", True)


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 2:
        return None
    sample = data[: min(len(data), 8192) // 2 * 2]
    for enc, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if sum(1 for b in high if b in (0x00, 0x06)) < 0.9 * len(high):
            continue
        try:
            txt = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(txt):
            return enc
    return None


def _arabic_codepage(data: bytes, guess: str) -> str:
    """windows-1256 and ISO-8859-6 agree on the first Arabic letters and differ above 0xD6, so a detector often
    cannot tell them apart on a short text; keep the one that yields more Arabic letters (the wrong one gives
    Latin accented letters and ×) mixed into the words."""

    def arabic_share(enc: str) -> float:
        try:
            txt = data[:200_000].decode(enc)
        except UnicodeDecodeError:
            return -1.0
        letters = [c for c in txt if c.isalpha()]
        return sum(1 for c in letters if "\u0600" <= c <= "\u06ff") / max(1, len(letters))

    other = "iso8859_6" if guess == "cp1256" else "cp1256"
    return other if arabic_share(other) > arabic_share(guess) else guess


def _plausible(txt: str) -> bool:
    sample = txt[:2000]
    good = sum(1 for c in sample if c.isprintable() or c in "\n\r\t")
    return bool(sample) and good / len(sample) > 0.95


def read_bytes_limited(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes, refused (``E_TOO_LARGE``) over ``limit`` (default MAX_DOC_BYTES). The read itself is
    bounded too, not only the size ``stat`` reports: a file that grows while it is read, or one whose size the
    system does not know, never brings more than ``limit + 1`` bytes into memory."""
    cap = MAX_DOC_BYTES if limit is None else limit
    size = path.stat().st_size
    if size <= cap:
        with open(path, "rb") as f:
            data = f.read(cap + 1)
        size = max(size, len(data))
    if size > cap:
        raise InputError(
            f"{escape_name(str(path))} is {size / 1e6:.1f} MB, over the {cap / 1e6:.0f} MB limit for one article",
            code="E_TOO_LARGE",
        )
    return data


def read_stream_limited(stream: Any, limit: int | None = None) -> tuple[bytes, bool]:
    """At most ``limit`` (default MAX_DOC_BYTES) bytes of a stream, and whether there was more."""
    cap = MAX_DOC_BYTES if limit is None else limit
    data = stream.read(cap + 1)
    return data[:cap], len(data) > cap


def gunzip_limited(data: bytes, limit: int | None = None) -> bytes:
    """Decompress a gzip member, refusing (``E_TOO_LARGE``) output over ``limit``: a 20 MB gzip bomb must not
    expand to gigabytes in memory."""
    import zlib

    cap = MAX_DOC_BYTES if limit is None else limit
    d = zlib.decompressobj(31)
    out = d.decompress(data, cap + 1)
    if len(out) > cap or d.unconsumed_tail:
        raise InputError(f"the gzip stream expands to more than {cap / 1e6:.0f} MB", code="E_TOO_LARGE")
    if not d.eof:
        raise EOFError("compressed file ended before the end-of-stream marker was reached")
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")
_ID_BAD_CHARS = re.compile(r"[/\\?#\x00-\x1f\x7f]")
MAX_ID_CHARS = 256


def bad_id_reason(rid: str) -> str | None:
    """Why a given article id cannot be used, or None. Ids are URL path segments (``/api/articles/ID``,
    ``/article/ID``): a "/" (``../../etc/passwd``), "\\", "?", "#" or a control character would make the stored
    article unreachable, so such a record is rejected (``E_BAD_ID``) rather than stored where no one can open it."""
    if not rid.strip():
        return "the record's id is empty"
    if len(rid) > MAX_ID_CHARS:
        return f"the record's id is {len(rid)} characters long (at most {MAX_ID_CHARS})"
    m = _ID_BAD_CHARS.search(rid)
    if m:
        return (f"the record's id {rid[:80]!r} contains {m.group()!r}: ids appear in URLs and may not contain "
                "'/', '\\', '?', '#' or control characters")
    return None


def escape_name(name: str) -> str:
    """A file name fit to print, store and hash: the bytes of a name that is not valid UTF-8 (Python holds them
    as lone surrogates, PEP 383) become ``\\xff`` escapes; names without such bytes are returned as they are."""
    if _SURROGATE.search(name) is None:
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return replace_lone_surrogates(name)[0]


MAX_WORD_CHARS = 10_000
_LONG_RUN = re.compile(r"\S{" + str(MAX_WORD_CHARS + 1) + ",}")


def refuse_degenerate(rec: Article | Rejection) -> Article | Rejection:
    """An article whose text holds a run of more than MAX_WORD_CHARS characters without a space is refused
    (``E_NO_WORDS``) before any stage sees it: such a run is no word of any language (a base64 blob, one letter
    repeated), and the entity and quote stages build features per token, so a 20 MB "word" took 1.9 GB there
    (about 200 bytes of features per character). The raw input is kept with the rejection."""
    if not isinstance(rec, Article):
        return rec
    m = _LONG_RUN.search(rec.text)
    if m is None:
        return rec
    end = m.end()
    while end < len(rec.text) and not rec.text[end].isspace():
        end += 1
    return Rejection(
        "read", "E_NO_WORDS",
        f"the text has a run of {end - m.start():,} characters without a space (at {m.start():,}); the longest "
        f"word marsad reads is {MAX_WORD_CHARS:,} characters",
        rec.source, rec.text[:RAW_KEEP], rec.id, attrs={"size": len(rec.text), **_pointer(rec)},
    )  # fmt: skip


def _pointer(rec: Article) -> dict[str, Any]:
    raw = rec.meta.get("raw")
    if isinstance(raw, Mapping) and raw.get("path"):
        return {"pointer": str(raw["path"])}
    return {"path": rec.source} if rec.source and not rec.source.startswith("<") else {}


def _escape_deep(v: Any) -> Any:
    if isinstance(v, str):
        return escape_name(v)
    if isinstance(v, Mapping):
        return {k: _escape_deep(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_escape_deep(x) for x in v]
    return v


def tidy_names(rec: Article | Rejection) -> Article | Rejection:
    """``rec`` with a source, raw pointer and attrs that can always be printed and stored (see escape_name)."""
    if isinstance(rec, Rejection):
        if not any(_SURROGATE.search(x) for x in (rec.source, rec.reason, repr(dict(rec.attrs)))):
            return rec
        attrs = {k: escape_name(v) if isinstance(v, str) else v for k, v in rec.attrs.items()}
        return dataclasses.replace(rec, source=escape_name(rec.source), reason=escape_name(rec.reason), attrs=attrs)
    raw = rec.meta.get("raw")
    if _SURROGATE.search(rec.source) is None and _SURROGATE.search(repr(dict(rec.meta))) is None:
        return rec
    meta = {k: v if k == "raw" else _escape_deep(v) for k, v in rec.meta.items()}  # e.g. meta["origin"]
    if isinstance(raw, Mapping):
        ptr = dict(raw)
        for k in ("path", "warc"):
            if isinstance(ptr.get(k), str) and _SURROGATE.search(ptr[k]):
                # the exact bytes, so `marsad show --raw` can still open the file
                ptr[k + "_b64"] = base64.b64encode(os.fsencode(ptr[k])).decode("ascii")
                ptr[k] = escape_name(ptr[k])
        meta["raw"] = ptr
    return dataclasses.replace(rec, source=escape_name(rec.source), meta=meta)


def clean_surrogates(text: str) -> tuple[str, bool]:
    """``text`` with every lone surrogate code point replaced by U+FFFD, and whether any was. JSON escapes
    (``\\ud800``), HTML character references and feeds can carry them; UTF-8 encoders, SQLite and python-crfsuite
    (SystemError) cannot take them, so no reader may pass one on."""
    return replace_lone_surrogates(text)


def clean_optional(text: str | None) -> str | None:
    return None if text is None else clean_surrogates(text)[0]


# Registry: reader name -> (sniff(path, head_bytes) -> bool, read(path, **opts) -> ReadResult)
Sniffer = Callable[[Path, bytes], bool]
ReaderFn = Callable[..., ReadResult]
READERS: dict[str, tuple[Sniffer, ReaderFn]] = {}
# Strong evidence, checked for every reader before any content sniffer runs (see readers.reader_for): a file
# name suffix (lower case, e.g. ".warc.gz"; the longest match wins) and magic bytes at offset 0.
SUFFIXES: dict[str, tuple[str, ...]] = {}
MAGIC: dict[str, tuple[bytes, ...]] = {}


def register_reader(
    name: str, sniff: Sniffer, *, suffixes: tuple[str, ...] = (), magic: tuple[bytes, ...] = ()
) -> Callable[[ReaderFn], ReaderFn]:
    def wrap(fn: ReaderFn) -> ReaderFn:
        READERS[name] = (sniff, fn)
        if suffixes:
            SUFFIXES[name] = tuple(s.lower() for s in suffixes)
        if magic:
            MAGIC[name] = magic
        return fn

    return wrap
