"""ANT TREC-like files and SaudiNewsNet zips, read from ../shared/data as they are."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from marsad.data import Article, Rejection
from marsad.readers import read_paths
from marsad.readers.ant import read_ant
from marsad.readers.saudinewsnet import read_saudinewsnet


@pytest.fixture(scope="module")
def ant(shared: Path) -> Path:
    return shared / "data" / "ant-multisource"


def test_ant_file_fields(ant: Path) -> None:
    f = sorted((ant / "BBC" / "middleEast").glob("*.txt"))[0]
    raw = f.read_text(encoding="utf-8")
    (a,) = list(read_paths([str(f)]))  # sniffed: <DOC><DOCNO>
    assert isinstance(a, Article)
    assert a.source == "BBC"
    assert a.meta["docno"] == f.stem and a.meta["cat"] == "middleEast"
    assert a.url and a.url in raw
    assert a.title and f"<TITLE>{a.title}</TITLE>" in raw
    assert a.published == f"{f.stem[-8:-4]}-{f.stem[-4:-2]}-{f.stem[-2:]}"  # DOCNO carries the date
    assert a.published_time and len(a.published_time) == 5
    assert a.text.strip() and a.text.strip() in raw and "<TEXT>" not in a.text


def test_ant_folder_all_read(ant: Path) -> None:
    files = sorted((ant / "CNN").rglob("*.txt"))
    out = list(read_paths([str(ant / "CNN")]))
    assert len(out) == len(files) and all(isinstance(o, Article) for o in out)
    assert len({o.id for o in out}) >= len(files) - 5  # content-hash ids (a few stories are filed twice)


def test_ant_without_text_or_not_ant(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(
        "<DOC>\n<DOCNO>X-1</DOCNO>\n<TITLE>عنوان</TITLE>\n<TEXT>\n</TEXT>\n</DOC>\n", encoding="utf-8"
    )
    (r,) = list(read_ant(p))
    assert isinstance(r, Rejection) and r.code == "E_NO_TEXT"
    q = tmp_path / "b.txt"
    q.write_text("نص عادي بلا وسوم", encoding="utf-8")
    (r2,) = list(read_paths([str(q)], fmt="ant"))
    assert isinstance(r2, Rejection) and r2.code == "E_FORMAT"


def test_saudinewsnet_zip(shared: Path) -> None:
    z = shared / "data" / "saudinewsnet" / "2015-08-10.zip"
    with zipfile.ZipFile(z) as zf:
        recs = json.loads(zf.read(zf.namelist()[0]))
    out = list(read_paths([str(z)]))  # sniffed: .zip
    assert len(out) == len(recs)  # every record in is an article or a rejection
    arts = [o for o in out if isinstance(o, Article)]
    rejs = [o for o in out if isinstance(o, Rejection)]
    assert len(rejs) == sum(1 for r in recs if not (r.get("content") or "").strip())
    assert all(r.code == "E_NO_TEXT" and r.raw for r in rejs)
    a, r0 = arts[0], recs[0]
    assert (a.source, a.url, a.title) == (r0["source"], r0["url"], r0["title"].strip())
    assert a.published == r0["date_extracted"][:10] and a.published_time == r0["date_extracted"][11:16]
    assert a.text == r0["content"]


def test_saudinewsnet_bad_zip_and_bad_json(tmp_path: Path, shared: Path) -> None:
    data = (shared / "data" / "saudinewsnet" / "2015-08-11.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 3])
    (r,) = list(read_saudinewsnet(cut))
    assert isinstance(r, Rejection) and r.code == "E_ZIP"
    z = tmp_path / "obj.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("day.json", '{"not": "an array"}')
        zf.writestr("bad.json", "[{")
    out = list(read_saudinewsnet(z))
    assert [o.code for o in out] == ["E_FORMAT", "E_JSON"]
