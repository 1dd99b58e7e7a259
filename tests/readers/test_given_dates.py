"""Given dates are parsed (RFC 2822, ISO 8601, Arabic forms), unparseable ones refused; a corpus's own JSONL field
names are recognised; a folder holding two copies of a corpus stores each article once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.readers.given_date import parse_given_date
from marsad.readers.jsonl import record_to_article

TEXT = "بحث وزير الخارجية المصري مع نظيره الأردني في عمان سبل تعزيز التعاون بين البلدين."


@pytest.mark.parametrize(
    ("raw", "day", "hhmm", "utc"),
    [
        ("2018-03-01", "2018-03-01", None, None),
        ("Thu, 01 Mar 2018 12:10:19 +0400", "2018-03-01", "12:10", "2018-03-01T08:10:19+00:00"),
        ("Sat, 10 Mar 2018 23:40:54 GMT", "2018-03-10", "23:40", "2018-03-10T23:40:54+00:00"),
        ("2018-03-01T01:30:00+03:00", "2018-03-01", "01:30", "2018-02-28T22:30:00+00:00"),
        ("1 مارس 2018", "2018-03-01", None, None),
        ("١ آذار ٢٠١٨", "2018-03-01", None, None),
        ("الخميس 15 شباط 2018", "2018-02-15", None, None),
        ("March 1, 2018", "2018-03-01", None, None),
        ("2018/03/01", "2018-03-01", None, None),
    ],
)
def test_accepted_forms(raw: str, day: str, hhmm: str | None, utc: str | None) -> None:
    g = parse_given_date(raw)
    assert (g.date, g.time, g.utc) == (day, hhmm, utc)


@pytest.mark.parametrize(
    "raw", ["yesterday", "أمس", "2018-13-45", "01/03/2018", "2018/02/30", "March 2018", "soon", "12:00"]
)
def test_refused_forms(raw: str) -> None:
    with pytest.raises(InputError) as e:
        parse_given_date(raw)
    assert e.value.code == "E_DATE"


def test_ant_jsonl_fields_and_date() -> None:
    rec = {"docno": "X-1", "src": "alarabia", "time": "Thu, 01 Mar 2018 12:10:19 +0400", "text": TEXT, "title": "t"}
    a = record_to_article(rec, where="f.jsonl:1")
    assert isinstance(a, Article)
    assert (a.source, a.published, a.published_time) == ("alarabia", "2018-03-01", "12:10")
    assert a.meta["published_utc"] == "2018-03-01T08:10:19+00:00"
    assert a.meta["record"]["docno"] == "X-1"


def test_unreadable_given_date_is_a_clean_rejection() -> None:
    r = record_to_article({"text": TEXT, "published": "yesterday"}, where="f.jsonl:7")
    assert isinstance(r, Rejection) and r.code == "E_DATE"
    assert "[E_DATE]" not in r.reason and "yesterday" in r.reason and r.raw
    m = record_to_article({"text": TEXT, "time": "Thu, 01 Mar 2018 12:10:19 +0400"}, where="x",
                          field_map={"published": "time"})  # fmt: skip
    assert isinstance(m, Article) and m.published == "2018-03-01"


def test_two_copies_of_a_corpus_are_stored_once(shared: Path, tmp_path: Path) -> None:
    from marsad.readers import read_paths
    from marsad.store import Store

    base = shared / "data/ant-multisource"
    if not base.is_dir():
        pytest.skip("ant-multisource not found under the shared data")
    files = sorted((base / "BBC/middleEast").glob("*.txt"))[:15]
    want = {f.stem for f in files}
    folder = tmp_path / "corpus"
    (folder / "files").mkdir(parents=True)
    for f in files:
        (folder / "files" / f.name).write_bytes(f.read_bytes())
    with open(base / "ant_2018-03-01_21_politics.jsonl", encoding="utf-8") as src, open(
        folder / "copy.jsonl", "w", encoding="utf-8"
    ) as dst:
        for line in src:
            if json.loads(line)["docno"] in want:
                dst.write(line)
    with Store(tmp_path / "x.db", hooks=[]) as st:
        s = st.ingest(read_paths([str(folder)]))
        n = st.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        undated = st.conn.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0]
    assert (s.read, n, s.duplicate, undated) == (2 * len(files), len(files), len(files), 0)
