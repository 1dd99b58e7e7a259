"""SaudiNewsNet: daily zip files, each holding a JSON array of articles (``source``, ``url``, ``date_extracted``,
``title``, ``author``, ``content``). Also reads the JSON file itself when unzipped. ``date_extracted`` is the
crawl time, which the corpus README says is the publication time for articles after 2015-08-01; it is kept as
given metadata."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.readers.base import MAX_DOC_BYTES, RAW_KEEP, ReadResult, decode_bytes, register_reader

MAX_MEMBER_BYTES = (
    512 * 1024 * 1024
)  # a daily file is ~6 MB; refuse absurd members rather than exhaust memory


def _sniff(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    if name.endswith(".zip") and head.startswith(b"PK"):
        return True
    return name.endswith(".json") and head.lstrip()[:1] == b"[" and b'"date_extracted"' in head


def record_to_article(rec: Any, *, where: str) -> Article | Rejection:
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
        meta["author"] = rec["author"]
    if stamp:
        meta["date_extracted"] = stamp
    art = Article.new(
        content,
        source=str(rec.get("source") or "saudinewsnet"),
        url=rec.get("url") or None,
        title=(rec.get("title") or "").strip() or None,
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


@register_reader("saudinewsnet", _sniff)
def read_saudinewsnet(path: Path, **_opts: Any) -> ReadResult:
    source = str(path)
    if not path.name.lower().endswith(".zip"):
        try:
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
                        f"{m.filename} is {m.file_size / 1e6:.0f} MB",
                        where,
                        None,
                        attrs={"pointer": where},
                    )
                    continue
                yield from _records(zf.read(m), where=where)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        yield Rejection("read", "E_ZIP", f"unreadable zip: {e}", source, None, attrs={"pointer": source})
