"""SaudiNewsNet: daily zip files, each holding a JSON array of articles (``source``, ``url``, ``date_extracted``,
``title``, ``author``, ``content``). Also reads the JSON file itself when unzipped. ``date_extracted`` is the
crawl time, which the corpus README says is the publication time for articles after 2015-08-01; it is kept as
given metadata."""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.readers.base import (
    MAX_DOC_BYTES,
    RAW_KEEP,
    ReadResult,
    clean_surrogates,
    decode_bytes,
    register_reader,
)

# a daily file is ~6 MB; a member is read into memory whole (a JSON array), so refuse absurd ones (zip bombs)
# rather than exhaust memory: the header's size is checked first, and decompression stops past the cap anyway
# because headers can lie
MAX_MEMBER_BYTES = 64 * 1024 * 1024
# what reading one member can raise: corrupt deflate data, a CRC mismatch, an unsupported compression method
# (NotImplementedError) or encryption (RuntimeError), a member name that is not valid in its code page
_MEMBER_ERRORS = (zlib.error, zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
                  UnicodeDecodeError)


def _sniff(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    if name.endswith(".zip") and head.startswith(b"PK"):
        return True
    return name.endswith(".json") and head.lstrip()[:1] == b"[" and b'"date_extracted"' in head


def _str_or_none(v: Any) -> str | None:
    """A scalar field as text (a title given as a number stays usable); lists, objects and blanks are not."""
    if v is None or isinstance(v, (dict, list, bool)):
        return None
    return clean_surrogates(str(v).strip())[0] or None


def record_to_article(rec: Any, *, where: str) -> Article | Rejection:
    try:
        return _record_to_article(rec, where=where)
    except Exception as e:  # noqa: BLE001 - one odd record is rejected; the rest of the file is still read
        return Rejection("read", "E_RECORD", f"record not readable: {type(e).__name__}: {e}", where,
                         repr(rec)[:RAW_KEEP])


def _record_to_article(rec: Any, *, where: str) -> Article | Rejection:
    if not isinstance(rec, Mapping):
        return Rejection(
            "read",
            "E_JSON_TYPE",
            "array item is not a JSON object",
            where,
            json.dumps(rec, ensure_ascii=False)[:RAW_KEEP],
        )
    content = rec.get("content")
    if not isinstance(content, str) or not content.strip():
        return Rejection(
            "read",
            "E_NO_TEXT",
            "record has no 'content'",
            where,
            json.dumps(rec, ensure_ascii=False)[:RAW_KEEP],
        )
    if len(content) > MAX_DOC_BYTES:
        return Rejection("read", "E_TOO_LARGE", "content over the size limit", where, content[:RAW_KEEP])
    stamp = str(rec.get("date_extracted") or "")
    published = stamp[:10] if len(stamp) >= 10 and stamp[4] == "-" else None
    meta: dict[str, Any] = {"corpus": "SaudiNewsNet", "origin": where}
    if rec.get("author"):
        meta["author"] = _str_or_none(rec["author"])
    if stamp:
        meta["date_extracted"] = clean_surrogates(stamp)[0]
    content, lossy = clean_surrogates(content)
    if lossy:
        meta["lossy_decode"] = True
    art = Article.new(
        content,
        source=_str_or_none(rec.get("source")) or "saudinewsnet",
        url=_str_or_none(rec.get("url")),
        title=_str_or_none(rec.get("title")),
        published=published,
        meta=meta,
    )
    hhmm = stamp[11:16] if len(stamp) >= 16 else None
    return art.evolve(published_time=hhmm) if hhmm else art


def _records(data: bytes, *, where: str) -> ReadResult:
    try:
        text = decode_bytes(data, source=where).text
        recs = json.loads(text)
    except InputError as e:
        yield Rejection("read", e.code, str(e), where, data[:RAW_KEEP], attrs={"pointer": where})
        return
    except json.JSONDecodeError as e:
        yield Rejection(
            "read",
            "E_JSON",
            f"malformed JSON ({e.msg} at line {e.lineno})",
            where,
            data[:RAW_KEEP],
            attrs={"pointer": where},
        )
        return
    except (ValueError, RecursionError) as e:  # undecodable text, or arrays nested past the parser's recursion
        yield Rejection("read", "E_JSON", f"unreadable JSON: {type(e).__name__}: {str(e)[:200]}", where,
                        data[:RAW_KEEP], attrs={"pointer": where})
        return
    if not isinstance(recs, list):
        yield Rejection(
            "read",
            "E_FORMAT",
            "expected a JSON array of articles",
            where,
            data[:RAW_KEEP],
            attrs={"pointer": where},
        )
        return
    for i, rec in enumerate(recs):
        yield record_to_article(rec, where=f"{where}[{i}]")


@register_reader("saudinewsnet", _sniff, suffixes=(".zip",))
def read_saudinewsnet(path: Path, **_opts: Any) -> ReadResult:
    source = str(path)
    if not path.name.lower().endswith(".zip"):
        try:
            if path.stat().st_size > MAX_MEMBER_BYTES:
                yield Rejection("read", "E_TOO_LARGE", f"{path.name} is over the {MAX_MEMBER_BYTES // 2**20} MB "
                                "limit for one SaudiNewsNet file", source, None, attrs={"pointer": source})
                return
            data = path.read_bytes()
        except OSError as e:
            yield Rejection("read", "E_IO", f"cannot read {path}: {e}", source, None)
            return
        yield from _records(data, where=source)
        return
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if m.filename.lower().endswith(".json") and not m.is_dir()]
            if not members:
                yield Rejection(
                    "read", "E_FORMAT", "zip holds no .json file", source, None, attrs={"pointer": source}
                )
            for m in members:
                where = f"{source}!{m.filename}"
                if m.file_size > MAX_MEMBER_BYTES:
                    yield Rejection(
                        "read",
                        "E_TOO_LARGE",
                        f"{m.filename} is {m.file_size / 1e6:.0f} MB, over the {MAX_MEMBER_BYTES // 2**20} MB "
                        "limit for one member",
                        where,
                        None,
                        attrs={"pointer": where},
                    )
                    continue
                try:
                    member = _read_member(zf, m)
                except _MEMBER_ERRORS as e:
                    yield Rejection("read", "E_ZIP", f"{m.filename} unreadable: {type(e).__name__}: {e}", where,
                                    None, attrs={"pointer": where})
                    continue
                if member is None:
                    yield Rejection(
                        "read",
                        "E_TOO_LARGE",
                        f"{m.filename} decompresses to more than {MAX_MEMBER_BYTES // 2**20} MB "
                        f"(its header says {m.file_size / 1e6:.1f} MB)",
                        where,
                        None,
                        attrs={"pointer": where},
                    )
                    continue
                yield from _records(member, where=where)
    except (zipfile.BadZipFile, OSError, EOFError, *_MEMBER_ERRORS) as e:
        yield Rejection("read", "E_ZIP", f"unreadable zip: {e}", source, None, attrs={"pointer": source})


def _read_member(zf: zipfile.ZipFile, m: zipfile.ZipInfo) -> bytes | None:
    """The member's bytes, decompressed as a stream and stopped one byte past the cap (None then): a member that
    lies about its size in the header cannot make us inflate more than MAX_MEMBER_BYTES."""
    with zf.open(m) as f:
        data = f.read(MAX_MEMBER_BYTES + 1)
    return None if len(data) > MAX_MEMBER_BYTES else data
