"""Plain-text pages: one file is one article (scraped or copied page text, boilerplate and all)."""

from __future__ import annotations

from pathlib import Path

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.readers.base import (
    RAW_KEEP,
    ReadResult,
    clean_surrogates,
    decode_bytes,
    read_bytes_limited,
    register_reader,
)


def _sniff(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in {".txt", ".text", ""} or True  # the fallback reader


def article_from_bytes(data: bytes, *, source: str, **meta) -> Article:
    dec = decode_bytes(data, source=source)
    m = dict(meta.pop("meta", None) or {})
    m["encoding"] = dec.encoding
    text, changed = clean_surrogates(dec.text)  # (strict decoders never make one; kept as the readers' rule)
    if dec.lossy or changed:
        m["lossy_decode"] = True
    # the id hashes the text alone: the same page read through another path spelling is the same article
    return Article.new(text, source=source, meta=m, key="", **meta)


@register_reader("text", _sniff)
def read_text(path: Path, **_opts) -> ReadResult:
    source = str(path)
    try:
        data = read_bytes_limited(path)
        yield article_from_bytes(data, source=source)
    except InputError as e:
        raw: bytes | str | None
        try:
            with open(path, "rb") as f:
                raw = f.read(RAW_KEEP)
        except OSError:
            raw = None
        yield Rejection("read", e.code, str(e), source, raw, attrs={"path": source})
    except OSError as e:
        yield Rejection("read", "E_IO", f"cannot read {path}: {e.strerror or e}", source, None, attrs={"path": source})
