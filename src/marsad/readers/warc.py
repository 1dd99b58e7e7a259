"""WARC and WARC.gz files (warcio): every ``response`` (or ``resource``) record with an HTML payload becomes one
article through the HTML reader. The file is streamed record by record, never loaded whole; other records
(requests, metadata, images, CSS) are not articles and are passed over. A truncated or corrupt file yields the
articles before the damage and one rejection that says where reading stopped."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from marsad.data import Rejection
from marsad.readers.base import MAX_DOC_BYTES, ReadResult, register_reader
from marsad.readers.html import article_from_html

HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
WARC_MAGIC = (b"WARC/1.", b"WARC/0.", b"filedesc://")  # WARC versions; an ARC file opens with its filedesc record


def _sniff(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return True
    return head.startswith(WARC_MAGIC)


# warcio does not validate headers before using them: fuzzing found AttributeError ('NoneType' object has no
# attribute 'startswith') on a malformed header block, and these others come from the same unchecked parsing
_WARCIO_PARSE_ERRORS = (AttributeError, TypeError, IndexError, KeyError)


def _is_html(record: Any) -> bool:
    if record.http_headers is not None:
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    return any(t in ctype.lower() for t in HTML_TYPES)


@register_reader("warc", _sniff, suffixes=WARC_SUFFIXES, magic=WARC_MAGIC)
def read_warc(path: Path, **_opts: Any) -> ReadResult:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    offset = 0
    good_end = n_good = 0  # where the last fully read record ends: the damage is after it
    n_records = 0
    head = _first_bytes(path)
    if not head.startswith((b"WARC/", b"filedesc://")):
        # warcio reads almost anything leniently (as ARC or bare HTTP); insist on the WARC (or ARC) magic
        yield Rejection(
            "read",
            "E_WARC",
            f"not a WARC file (starts with {head[:16]!r})",
            source,
            head or None,
            attrs={"pointer": source},
        )
        return
    try:
        with open(path, "rb") as f:
            it = ArchiveIterator(f)
            for record in it:
                n_records += 1
                if record.rec_type not in ("response", "resource") or not _is_html(record):
                    offset = it.get_record_offset()  # (this reads the record to its end)
                    good_end, n_good = offset + it.get_record_length(), n_good + 1
                    continue
                status = record.http_headers.get_statuscode() if record.http_headers is not None else None
                # the payload must be read before asking for the offset, which consumes the record
                payload = record.content_stream().read(MAX_DOC_BYTES + 1)
                if len(payload) <= MAX_DOC_BYTES and getattr(record.raw_stream, "limit", 0) > 0:
                    # the block ended before its Content-Length: the file is cut here
                    raise EOFError(f"record of {record.length} bytes is cut short")
                offset = it.get_record_offset()
                good_end, n_good = offset + it.get_record_length(), n_good + 1
                if status not in ("200", None):
                    continue  # redirects and errors carry no article
                # (ARC records name it "uri")
                url = record.rec_headers.get_header("WARC-Target-URI") or record.rec_headers.get_header("uri")
                where = f"{source}@{offset}"
                if len(payload) > MAX_DOC_BYTES:
                    yield Rejection(
                        "read",
                        "E_TOO_LARGE",
                        f"HTML payload over {MAX_DOC_BYTES // 1_000_000} MB",
                        where,
                        payload[:65536],
                        attrs={"pointer": where, "url": url},
                    )
                    continue
                ctype = (
                    record.http_headers.get_header("Content-Type")
                    if record.http_headers is not None
                    else None
                )
                cs = (
                    ctype.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
                    if ctype and "charset=" in ctype.lower()
                    else None
                )
                yield article_from_html(
                    payload,
                    charset=cs,
                    source=where,
                    url=url,
                    raw_pointer={"warc": str(path.resolve()), "offset": offset},
                    meta={"warc_record_id": record.rec_headers.get_header("WARC-Record-ID")},
                )
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error, *_WARCIO_PARSE_ERRORS) as e:
        # the records before the damage were already yielded; one rejection says where reading stopped
        yield Rejection(
            "read",
            "E_WARC",
            f"WARC unreadable after {n_good} good records (from byte {good_end}): "
            f"{type(e).__name__}: {str(e).strip()[:200]}",
            source,
            None,
            attrs={"pointer": f"{source}@{good_end}", "offset": good_end},
        )
        return
    if n_records == 0:
        yield Rejection(
            "read", "E_WARC", "no WARC records in the file", source, None, attrs={"pointer": source}
        )
        return
    tail = _tail_after(path, good_end)
    if tail:
        # warcio ends quietly when the file stops inside a record's header block: that record would vanish
        yield Rejection(
            "read",
            "E_WARC",
            f"WARC cut short after {n_good} good records: {tail} bytes from byte {good_end} are not a whole record",
            source,
            None,
            attrs={"pointer": f"{source}@{good_end}", "offset": good_end},
        )


def _tail_after(path: Path, end: int) -> int:
    """Bytes after ``end`` that are more than the record separator (blank lines), or 0."""
    try:
        with open(path, "rb") as f:
            f.seek(end)
            rest = f.read(4096)
            size = f.seek(0, 2)
    except OSError:
        return 0
    return size - end if rest.strip() else 0


def _first_bytes(path: Path, n: int = 64) -> bytes:
    import gzip
    import zlib

    try:
        with open(path, "rb") as f:
            head = f.read(n)
            if head[:2] == b"\x1f\x8b":
                f.seek(0)
                with gzip.GzipFile(fileobj=f) as gz:
                    return gz.read(n)
            return head
    except (OSError, EOFError, zlib.error):
        return b""


def read_record_at(path: Path, offset: int) -> bytes:
    """The HTTP payload of the record at ``offset`` (the pointer kept in ``Article.meta['raw']``)."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        f.seek(offset)
        for record in ArchiveIterator(f):
            return bytes(record.content_stream().read())
    raise OSError(f"no WARC record at {path}@{offset}")
