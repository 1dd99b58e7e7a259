"""WARC and WARC.gz files (warcio): every ``response`` (or ``resource``) record with an HTML payload becomes one
article through the HTML reader. The file is streamed record by record, never loaded whole; other records
(requests, metadata, images, CSS) are not articles and are passed over. A truncated or corrupt file yields the
articles before the damage and one rejection that says where reading stopped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marsad.data import Rejection
from marsad.readers.base import MAX_DOC_BYTES, ReadResult, register_reader
from marsad.readers.html import article_from_html

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _sniff(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return True
    return head.startswith(b"WARC/")


def _is_html(record: Any) -> bool:
    if record.http_headers is not None:
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    return any(t in ctype.lower() for t in HTML_TYPES)


@register_reader("warc", _sniff)
def read_warc(path: Path, **_opts: Any) -> ReadResult:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    offset = 0
    n_records = 0
    try:
        with open(path, "rb") as f:
            it = ArchiveIterator(f)
            for record in it:
                offset = it.get_record_offset()
                n_records += 1
                if record.rec_type not in ("response", "resource") or not _is_html(record):
                    continue
                if record.http_headers is not None and record.http_headers.get_statuscode() not in (
                    "200",
                    None,
                ):
                    continue  # redirects and errors carry no article
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{source}@{offset}"
                payload = record.content_stream().read(MAX_DOC_BYTES + 1)
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
                yield article_from_html(
                    payload,
                    source=where,
                    url=url,
                    raw_pointer={"warc": str(path.resolve()), "offset": offset},
                    meta={"warc_record_id": record.rec_headers.get_header("WARC-Record-ID")},
                )
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as e:
        yield Rejection(
            "read",
            "E_WARC",
            f"WARC unreadable after {n_records} records (at byte {offset}): "
            f"{type(e).__name__}: {str(e).strip()[:200]}",
            source,
            None,
            attrs={"pointer": f"{source}@{offset}"},
        )
        return
    if n_records == 0:
        yield Rejection(
            "read", "E_WARC", "no WARC records in the file", source, None, attrs={"pointer": source}
        )


def read_record_at(path: Path, offset: int) -> bytes:
    """The HTTP payload of the record at ``offset`` (the pointer kept in ``Article.meta['raw']``)."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        f.seek(offset)
        for record in ArchiveIterator(f):
            return bytes(record.content_stream().read())
    raise OSError(f"no WARC record at {path}@{offset}")
