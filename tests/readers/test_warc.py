from __future__ import annotations

from pathlib import Path

import pytest

from marsad.data import Article, Rejection
from marsad.readers import read_paths
from marsad.readers.html import load_raw
from marsad.readers.warc import read_warc


@pytest.mark.parametrize("gz", [False, True])
def test_warc_response_records_become_articles(
    tmp_path: Path, html_pages, gold_dates, warc_writer, gz: bool
) -> None:
    pages = [(url, raw) for url, _name, raw in html_pages[:4]]
    p = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    warc_writer(p, pages, gz=gz)
    out = list(read_paths([str(p)]))  # sniffed by name
    assert all(isinstance(o, Article) for o in out), [getattr(o, "reason", "") for o in out]
    assert [o.url for o in out] == [u for u, _ in pages]  # requests and the image are not articles
    dates = {url: gold_dates[name] for url, name, _ in html_pages}
    assert [o.published for o in out] == [dates[o.url] for o in out]
    for o, (_, raw) in zip(out, pages, strict=True):
        assert load_raw(o) == raw  # pointer: WARC file + record offset
        assert o.source.startswith(str(p) + "@")


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_keeps_what_came_before_and_rejects_the_rest(
    tmp_path: Path, html_pages, warc_writer, gz: bool
) -> None:
    pages = [(url, raw) for url, _name, raw in html_pages[:4]]
    full = tmp_path / "full.warc"
    warc_writer(full, pages, gz=gz, extra=False)
    data = full.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: int(len(data) * 0.6)])
    out = list(read_warc(cut))
    arts = [o for o in out if isinstance(o, Article)]
    rejs = [o for o in out if isinstance(o, Rejection)]
    assert 1 <= len(arts) < len(pages)
    assert len(rejs) == 1 and rejs[0].code in ("E_WARC", "E_NO_ARTICLE")
    assert all(a.url in dict(pages) for a in arts)


def test_not_a_warc_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "junk.warc"
    p.write_bytes(b"this is not a web archive\n" * 20)
    out = list(read_warc(p))
    assert len(out) == 1 and isinstance(out[0], Rejection) and out[0].code == "E_WARC"


def test_warc_page_without_article_is_rejected_with_pointer(tmp_path: Path, warc_writer) -> None:
    p = tmp_path / "nav.warc.gz"
    nav = "".join(f"<li><a href='/{i}'>قسم {i}</a></li>" for i in range(20)).encode()
    warc_writer(
        p, [("http://example.org/", b"<html><body><ul>" + nav + b"</ul></body></html>")], gz=True, extra=False
    )
    (out,) = list(read_warc(p))
    assert isinstance(out, Rejection) and out.code == "E_NO_ARTICLE"
    assert out.attrs["pointer"].startswith(str(p) + "@")
