"""Real inputs for reader tests, from ../shared/data (skipped with a reason when it is absent)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def html_dir(shared: Path) -> Path:
    return shared / "data" / "html-arabic"


@pytest.fixture(scope="session")
def gold_dates(html_dir: Path) -> dict[str, str]:
    d = json.loads((html_dir / "htmldate" / "gold_dates.json").read_text(encoding="utf-8"))
    return {v["file"]: v["date"] for v in d.values()}


@pytest.fixture(scope="session")
def html_pages(html_dir: Path, gold_dates: dict[str, str]) -> list[tuple[str, str, bytes]]:
    """(url, file name, raw bytes) of the htmldate pages."""
    d = json.loads((html_dir / "htmldate" / "gold_dates.json").read_text(encoding="utf-8"))
    return [(url, v["file"], (html_dir / "htmldate" / v["file"]).read_bytes()) for url, v in d.items()]


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, gz: bool, extra: bool = True) -> None:
    """A crawl-like WARC: per page a request and a response record, plus a non-HTML response (an image)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz)
        for url, body in pages:
            req = w.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True),
            )
            w.write_record(req)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            w.write_record(
                w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )
        if extra:
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            w.write_record(
                w.create_warc_record(
                    "http://example.org/logo.png",
                    "response",
                    payload=io.BytesIO(b"\x89PNG\r\n" + b"\x00" * 100),
                    http_headers=img,
                )
            )


@pytest.fixture(scope="session")
def warc_writer():
    return write_warc
