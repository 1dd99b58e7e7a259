from __future__ import annotations

import http.server
import json
import threading
import zipfile
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from marsad.data import Article, Rejection
from marsad.readers import read_paths
from marsad.readers.feed import read_feed, read_feed_url


@pytest.fixture(scope="module")
def snn_records(shared: Path) -> list[dict]:
    with zipfile.ZipFile(shared / "data" / "saudinewsnet" / "2015-08-10.zip") as zf:
        recs = json.loads(zf.read(zf.namelist()[0]))
    return [r for r in recs if r.get("content")][:5]


def rss(records: list[dict]) -> str:
    items = []
    for r in records:
        when = datetime.strptime(r["date_extracted"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        body = "".join(f"<p>{escape(p)}</p>" for p in r["content"].split("\n") if p.strip())
        items.append(
            f"<item><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link>"
            f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(body)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>صحف</title>'
        f"<link>http://example.org/</link>{''.join(items)}</channel></rss>"
    )


def atom(records: list[dict]) -> str:
    entries = "".join(
        f'<entry><title>{escape(r["title"])}</title><link href="{escape(r["url"])}"/><id>{escape(r["url"])}</id>'
        f"<updated>{r['date_extracted'].replace(' ', 'T')}Z</updated>"
        f'<content type="text">{escape(r["content"])}</content></entry>'
        for r in records
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{entries}</feed>'


def test_rss_items_become_articles_with_link_and_date(tmp_path: Path, snn_records) -> None:
    p = tmp_path / "news.xml"
    p.write_text(rss(snn_records), encoding="utf-8")
    out = list(read_paths([str(p)]))  # sniffed: .xml with <rss
    assert len(out) == len(snn_records) and all(isinstance(o, Article) for o in out)
    for o, r in zip(out, snn_records, strict=True):
        assert o.url == r["url"]
        assert o.published == r["date_extracted"][:10]
        assert o.title == r["title"].strip()
        first = next(p for p in r["content"].split("\n") if p.strip()).strip()
        assert " ".join(first.split()) in o.text  # markup removed, paragraphs kept
        assert "<p>" not in o.text


def test_atom_feed(tmp_path: Path, snn_records) -> None:
    p = tmp_path / "news.atom"
    p.write_text(atom(snn_records[:2]), encoding="utf-8")
    out = list(read_feed(p))
    assert [o.url for o in out] == [r["url"] for r in snn_records[:2]]
    assert all(isinstance(o, Article) and o.published == "2015-08-10" for o in out)


def test_same_item_same_id_wherever_it_sits(tmp_path: Path, snn_records) -> None:
    a, b = tmp_path / "a.rss", tmp_path / "b.rss"
    a.write_text(rss(snn_records[:3]), encoding="utf-8")
    b.write_text(rss(snn_records[2:3] + snn_records[:2]), encoding="utf-8")
    b.rename(tmp_path / "a2.rss")
    ids_a = {o.url: o.id for o in read_feed(a)}
    a.unlink()
    (tmp_path / "a2.rss").rename(a)
    ids_b = {o.url: o.id for o in read_feed(a)}
    assert ids_a == ids_b


def test_broken_xml_is_refused(tmp_path: Path, snn_records) -> None:
    p = tmp_path / "broken.rss"
    text = rss(snn_records)
    p.write_text(text[: len(text) // 2], encoding="utf-8")
    (out,) = list(read_feed(p))
    assert isinstance(out, Rejection) and out.code == "E_FEED_XML"
    assert isinstance(out.raw, bytes) and out.raw.startswith(b"<?xml")


def test_feed_from_url_over_loopback(tmp_path: Path, snn_records) -> None:
    (tmp_path / "feed.rss").write_text(rss(snn_records[:2]), encoding="utf-8")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(tmp_path), **kw)

        def log_message(self, *a):  # keep test output quiet
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/feed.rss"
        out = list(read_feed_url(url))
        assert [o.url for o in out] == [r["url"] for r in snn_records[:2]]
        (missing,) = list(read_feed_url(url.replace("feed.rss", "nope.rss")))
        assert isinstance(missing, Rejection) and missing.code == "E_FETCH"
    finally:
        srv.shutdown()
