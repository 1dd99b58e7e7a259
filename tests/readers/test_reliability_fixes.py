"""Regression tests for the reader bugs the reliability suite found (issue 9): sniffing order, SaudiNewsNet
zip members and records, malformed WARC headers, deeply nested HTML, lone surrogates."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from marsad.data import Article, Rejection
from marsad.readers import read_paths, reader_for
from marsad.readers.base import clean_surrogates

SENT = "قال وزير الخارجية في القاهرة يوم الثلاثاء إن بلاده ترفض أي تدخل خارجي في شؤون ليبيا الداخلية. "
TITLE = "الأمم المتحدة ترسل وفدا إلى طرابلس"


def page(n: int = 0, body: str | None = None) -> bytes:
    body = body if body is not None else f"<p>{SENT * 3}</p>"
    return (f"<!DOCTYPE html><html lang='ar'><head><meta charset='utf-8'><title>{TITLE} {n}</title></head>"
            f"<body><article><h1>{TITLE} {n}</h1>{body}</article></body></html>").encode()


def warc(n: int, *, gz: bool) -> tuple[bytes, list[int]]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf, ends = io.BytesIO(), []
    w = WARCWriter(buf, gzip=gz)
    for i in range(n):
        body = page(i)
        hh = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(f"http://news.test/{i}", "response", payload=io.BytesIO(body),
                                            http_headers=hh, length=len(body)))
        ends.append(buf.tell())
    return buf.getvalue(), ends


def read(p: Path) -> list[Article | Rejection]:
    return list(read_paths([str(p)]))


# -- 1. sniffing: magic bytes and suffix before content sniffers --------------------------------------------------
def test_plain_warc_whose_first_payload_is_html_is_read_record_by_record(tmp_path: Path) -> None:
    data, _ = warc(3, gz=False)
    assert b"<html" in data[:4096] and b"<head" in data[:4096]  # what fooled the HTML sniffer
    p = tmp_path / "crawl.warc"
    p.write_bytes(data)
    out = read(p)
    assert [o.url for o in out if isinstance(o, Article)] == [f"http://news.test/{i}" for i in range(3)]


@pytest.mark.parametrize("name", ["crawl.html", "crawl.txt", "crawl.bin"])
def test_warc_magic_wins_over_a_misleading_name(tmp_path: Path, name: str) -> None:
    data, _ = warc(2, gz=False)
    p = tmp_path / name
    p.write_bytes(data)
    assert reader_for(p).__name__ == "read_warc"
    assert len([o for o in read(p) if isinstance(o, Article)]) == 2


def test_gzipped_warc_is_found_by_its_magic_inside_the_gzip_stream(tmp_path: Path) -> None:
    data, _ = warc(2, gz=True)
    p = tmp_path / "crawl.gz"
    p.write_bytes(data)
    assert reader_for(p).__name__ == "read_warc"


def test_suffix_wins_over_content_for_jsonl_feeds_and_zips(tmp_path: Path) -> None:
    line = json.dumps({"text": "<html><head></head><body>" + SENT + "</body></html>"}, ensure_ascii=False)
    (tmp_path / "a.jsonl").write_text(line + "\n" + line + "\n", encoding="utf-8")
    assert reader_for(tmp_path / "a.jsonl").__name__ == "read_jsonl"
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress((line + "\n").encode()))
    assert reader_for(tmp_path / "a.jsonl.gz").__name__ == "read_jsonl"
    rss = ("<rss><channel><item><title>t</title><description>&lt;html&gt;&lt;head&gt;" + SENT
           + "</description></item></channel></rss>")
    (tmp_path / "f.rss").write_text("<html><head>" * 0 + rss, encoding="utf-8")
    assert reader_for(tmp_path / "f.rss").__name__ == "read_feed"
    (tmp_path / "x.zip").write_bytes(b"<html><head></head></html>")  # not a zip at all: the zip reader says so
    assert reader_for(tmp_path / "x.zip").__name__ == "read_saudinewsnet"
    assert [o.code for o in read(tmp_path / "x.zip")] == ["E_ZIP"]


# -- 2. SaudiNewsNet: one bad member or record does not lose the rest -------------------------------------------
def snn_zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def recs(n: int, **extra) -> bytes:
    return json.dumps([{"content": SENT * 2 + str(i), "title": f"{TITLE} {i}", **extra} for i in range(n)],
                      ensure_ascii=False).encode()


def test_snn_record_with_numeric_title_keeps_the_other_records(tmp_path: Path) -> None:
    data = json.dumps([{"content": SENT, "title": 1}, {"content": SENT + "2", "title": "عنوان", "url": 7},
                       {"content": 5}], ensure_ascii=False).encode()
    p = tmp_path / "2015-08-10.zip"
    p.write_bytes(snn_zip([("2015-08-10.json", data)]))
    out = read(p)
    assert [type(o).__name__ for o in out] == ["Article", "Article", "Rejection"]
    assert out[0].title == "1" and out[1].url == "7" and out[2].code == "E_NO_TEXT"


def _patch_method(data: bytes, name: bytes, method: int) -> bytes:
    """Set a member's compression method in its local header and central directory entry."""
    b = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        i = 0
        while (i := b.find(sig, i)) >= 0:
            fn_off = 30 if sig == b"PK\x03\x04" else 46
            n = int.from_bytes(b[i + (26 if fn_off == 30 else 28): i + (28 if fn_off == 30 else 30)], "little")
            if bytes(b[i + fn_off: i + fn_off + n]) == name:
                b[i + off: i + off + 2] = method.to_bytes(2, "little")
            i += 4
    return bytes(b)


def test_snn_unsupported_compression_and_corrupt_member_are_rejected_alone(tmp_path: Path) -> None:
    data = snn_zip([("a.json", recs(2)), ("b.json", recs(3)), ("c.json", recs(2))])
    data = _patch_method(data, b"b.json", 99)  # NotImplementedError: compression type 99
    # corrupt c.json's deflate stream (its data starts after its local header and name)
    i = data.find(b"PK\x03\x04", data.find(b"c.json") - 40)
    j = i + 30 + len("c.json") + 5
    data = data[:j] + bytes(x ^ 0xFF for x in data[j: j + 40]) + data[j + 40:]
    p = tmp_path / "2015-08-11.zip"
    p.write_bytes(data)
    out = read(p)
    assert sum(isinstance(o, Article) for o in out) == 2  # a.json's records survive
    bad = [o for o in out if isinstance(o, Rejection)]
    assert {o.source.rsplit("!", 1)[1] for o in bad} == {"b.json", "c.json"}
    assert all(o.code in ("E_ZIP", "E_JSON") for o in bad)


def test_snn_member_over_the_cap_is_rejected_and_decompression_stops(tmp_path: Path, monkeypatch) -> None:
    from marsad.readers import saudinewsnet

    monkeypatch.setattr(saudinewsnet, "MAX_MEMBER_BYTES", 4096)
    p = tmp_path / "2015-08-12.zip"
    p.write_bytes(snn_zip([("big.json", b"[" + b" " * 100_000 + b"]"), ("ok.json", recs(1))]))
    out = read(p)
    assert [type(o).__name__ for o in out] == ["Rejection", "Article"]
    assert out[0].code == "E_TOO_LARGE" and "limit" in out[0].reason
    # the streamed read itself stops one byte past the cap, whatever the header says
    with zipfile.ZipFile(p) as zf:
        assert saudinewsnet._read_member(zf, zf.getinfo("big.json")) is None
        assert saudinewsnet._read_member(zf, zf.getinfo("ok.json")) is not None


def test_snn_member_lying_about_its_size_is_rejected_alone(tmp_path: Path) -> None:
    data = bytearray(snn_zip([("big.json", b"[" + b" " * 100_000 + b"]"), ("ok.json", recs(1))]))
    for sig, size_off, name_off in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        i = data.find(sig)  # big.json is the first member in both the local headers and the directory
        assert data[i + name_off: i + name_off + 8] == b"big.json"
        data[i + size_off: i + size_off + 4] = (10).to_bytes(4, "little")
    p = tmp_path / "2015-08-14.zip"
    p.write_bytes(bytes(data))
    out = read(p)
    assert [type(o).__name__ for o in out] == ["Rejection", "Article"]
    assert out[0].code in ("E_ZIP", "E_JSON") and out[0].source.endswith("!big.json")


# -- 3. warcio's AttributeError on a malformed header ------------------------------------------------------------
def test_malformed_warc_header_keeps_earlier_records_and_names_the_offset(tmp_path: Path) -> None:
    data, ends = warc(3, gz=False)
    i = data.index(b"WARC-Target-URI", ends[0])
    p = tmp_path / "bad.warc"
    p.write_bytes(data[:i] + b"WARC-Target\nURI" + data[i + len(b"WARC-Target-URI"):])
    out = read(p)
    assert isinstance(out[0], Article) and out[0].url == "http://news.test/0"
    assert isinstance(out[-1], Rejection) and out[-1].code == "E_WARC"
    # the offset is where the last good record ends (warcio leaves out its 4-byte record separator)
    assert ends[0] - 4 <= out[-1].attrs["offset"] <= ends[0] and "AttributeError" in out[-1].reason


@pytest.mark.parametrize("gz", [False, True])
def test_warc_cut_inside_a_record_header_is_not_dropped_silently(tmp_path: Path, gz: bool) -> None:
    data, ends = warc(4, gz=gz)
    p = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    p.write_bytes(data[: ends[1] + 200])  # warcio stops quietly inside the third record's header block
    out = read(p)
    assert [type(o).__name__ for o in out] == ["Article", "Article", "Rejection"]
    assert out[2].code == "E_WARC" and ends[1] - 4 <= out[2].attrs["offset"] <= ends[1]


# -- 4. deeply nested HTML --------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "<div>" * 10_000 + f"<p>{SENT * 2}</p>" + "</div>" * 10_000,
    "<span><b>" * 10_000 + SENT * 2,
    "<table><tr><td>" * 3_000 + SENT * 2,
])
def test_deeply_nested_html_keeps_its_text(tmp_path: Path, body: str) -> None:
    p = tmp_path / "n.html"
    p.write_bytes(page(0, body=body))
    (a,) = read(p)
    assert isinstance(a, Article), a
    assert SENT.strip() in a.text and a.title == f"{TITLE} 0"
    assert a.meta["extractor"].startswith("plain-text fallback")


def test_shallow_page_without_prose_is_still_refused(tmp_path: Path) -> None:
    p = tmp_path / "stub.html"
    p.write_bytes(page(0, body="<div><p>اشترك لقراءة المقال</p><ul><li><a href='/a'>الرئيسية</a></li></ul></div>"))
    (r,) = read(p)
    assert isinstance(r, Rejection) and r.code == "E_NO_ARTICLE"  # the fallback is for deep markup only


# -- 5. lone surrogates -----------------------------------------------------------------------------------------
def test_clean_surrogates() -> None:
    assert clean_surrogates("نص") == ("نص", False)
    assert clean_surrogates("a\ud800b\udfffc") == ("a\ufffdb\ufffdc", True)
    assert clean_surrogates("😀") == ("😀", False)


def _no_surrogates(o: Article) -> None:
    for s in (o.text, o.title or "", o.url or "", o.source):
        s.encode("utf-8")  # raises on a lone surrogate


def test_readers_never_pass_lone_surrogates(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'{"text": "' + SENT.encode() + b'\\ud800", "title": "t\\udc00"}\n')
    (tmp_path / "2015-08-13.json").write_bytes(
        b'[{"date_extracted": "2015-08-13 10:00", "content": "' + SENT.encode() + b'\\ud800", "title": "\\udfff"}]')
    (tmp_path / "f.rss").write_bytes(
        ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>c</title><item><title>t</title>"
         "<link>http://news.test/1</link><description>" + SENT + "&amp;#xd800; &#55296;</description></item>"
         "</channel></rss>").encode())
    out = list(read_paths([str(tmp_path)]))
    arts = [o for o in out if isinstance(o, Article)]
    assert len(arts) == 3, [getattr(o, "reason", "") for o in out]
    for a in arts:
        _no_surrogates(a)
    assert sum(bool(a.meta.get("lossy_decode")) for a in arts) >= 2
