from __future__ import annotations

from pathlib import Path

import pytest

from marsad.data import Article, Rejection
from marsad.readers import read_paths
from marsad.readers.html import article_from_html, clean_title, load_raw, read_html


def test_arabic_pages_give_article_title_and_gold_date(html_dir: Path, gold_dates: dict[str, str]) -> None:
    for name, gold in gold_dates.items():
        (out,) = list(read_html(html_dir / "htmldate" / name))
        assert isinstance(out, Article), out
        assert out.published == gold, name
        assert out.meta["given"]["published"] == gold  # given metadata: the cleaner must not override it
        assert out.title and len(out.title.split()) >= 3
        assert len(out.text) > 200 and "<" not in out.text[:200]


def test_raw_html_stays_reachable(html_dir: Path) -> None:
    path = html_dir / "htmldate" / "1784190729.html"
    (out,) = list(read_html(path))
    assert isinstance(out, Article)
    assert load_raw(out) == path.read_bytes()


def test_gzipped_page_and_sniffing(html_dir: Path) -> None:
    (out,) = list(read_paths([str(html_dir / "fundus" / "LBCGroup_2026_01_08.html.gz")]))
    assert isinstance(out, Article)
    assert out.published == "2026-01-08"
    assert out.title and out.title.startswith("شعر وردي")
    assert out.meta["raw"]["compression"] == "gzip"
    assert load_raw(out).lstrip().lower().startswith(b"<!doctype html")


def test_arabic_dateline_when_metadata_has_no_date(html_dir: Path) -> None:
    # CNN Arabic states its date only as "الأحد، 04 آب/اغسطس 2013" (htmldate alone finds 2013-01-01)
    (out,) = list(read_html(html_dir / "goose3" / "test_cnn_arabic.html"))
    assert isinstance(out, Article)
    assert out.published == "2013-08-04"
    assert out.meta["date_from"] == "dateline"


def test_cleaner_still_runs_on_extracted_text(html_dir: Path) -> None:
    from marsad.stages import default_pipeline

    (art,) = list(read_html(html_dir / "htmldate" / "1623715966.html"))
    out = default_pipeline(upto="clean").process(art)
    assert isinstance(out, Article)
    assert out.title == art.title  # given title wins
    assert out.body and "الإمارات" in out.body


def test_page_without_article_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "index.html"
    nav = "".join(f'<li><a href="/s/{i}">قسم {i}</a></li>' for i in range(30))
    p.write_text(
        f"<!doctype html><html><head><title>الرئيسية</title></head><body><nav><ul>{nav}</ul></nav>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>",
        encoding="utf-8",
    )
    (out,) = list(read_paths([str(p)]))
    assert isinstance(out, Rejection)
    assert (out.stage, out.code) == ("read", "E_NO_ARTICLE")
    assert isinstance(out.raw, bytes) and b"<nav>" in out.raw


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "E_EMPTY"),
        (b"\x00\x01\x02binary" * 50, "E_BINARY"),
        (b"plain words, no markup at all " * 10, "E_NOT_HTML"),
    ],
)
def test_bad_inputs_are_rejections(data: bytes, code: str) -> None:
    out = article_from_html(data, source="x.html")
    assert isinstance(out, Rejection) and out.code == code


def test_windows_1256_page_is_decoded(html_dir: Path) -> None:
    raw = (html_dir / "htmldate" / "1623715966.html").read_bytes().decode("utf-8")
    cp = raw.replace('charset="utf-8"', 'charset="windows-1256"').encode("cp1256", "replace")
    out = article_from_html(cp, source="cp.html")
    assert isinstance(out, Article)
    assert "الإمارات" in out.text


def test_clean_title() -> None:
    assert (
        clean_title("وزير الرى يشهد توقيع عقد - اليوم السابع", "اليوم السابع") == "وزير الرى يشهد توقيع عقد"
    )
    assert (
        clean_title("المدينة نيوز - أميركا :50 الفا حصيلة الوفيات", None) == "أميركا :50 الفا حصيلة الوفيات"
    )
    assert clean_title("عنوان الخبر الكامل هنا", "موقع") == "عنوان الخبر الكامل هنا"
    assert clean_title("", None) is None


def test_declared_charset_wins_over_guessing(html_dir: Path) -> None:
    # mostly ASCII markup with a little Arabic: detection alone may guess a Latin code page
    body = "".join(
        f"<p>قال وزير الخارجية إن الجولة {n} من المحادثات مع الوفد الزائر كانت مثمرة وبناءة</p>"
        for n in ("الأولى", "الثانية", "الثالثة", "الرابعة")
    )
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        + "<script>var x = 1;</script>" * 400
        + f"</head><body><article>{body}</article></body></html>"
    )
    out = article_from_html(page.encode("cp1256"), source="cp.html")
    assert isinstance(out, Article) and "وزير الخارجية" in out.text and out.meta["encoding"] == "cp1256"
