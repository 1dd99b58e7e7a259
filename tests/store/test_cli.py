"""The store commands, end to end through click on a real database file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main


@pytest.fixture()
def corpus(tmp_path: Path, shared: Path) -> Path:
    """A small mixed folder: 6 ANT files, 2 Arabic HTML pages, a page without an article, a broken JSONL line."""
    d = tmp_path / "in"
    d.mkdir()
    for f in sorted((shared / "data" / "ant-multisource" / "BBC" / "middleEast").glob("*.txt"))[:6]:
        shutil.copy(f, d / f.name)
    for name in ("1784190729.html", "1623715966.html"):
        shutil.copy(shared / "data" / "html-arabic" / "htmldate" / name, d / name)
    (d / "menu.html").write_text(
        "<html><body><ul>"
        + "".join(f"<li><a href='/{i}'>قسم {i}</a></li>" for i in range(20))
        + "</ul></body></html>",
        encoding="utf-8",
    )
    (d / "recs.jsonl").write_text('{"content": "نص خبر قصير عن الصين والهند"}\n{broken\n', encoding="utf-8")
    return d


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_ingest_twice_then_query(tmp_path: Path, corpus: Path) -> None:
    db = str(tmp_path / "m.db")
    code, out, _ = run(
        "ingest", str(corpus), "--db", db, "--upto", "text-layer", "--field", "text=content", "--json"
    )
    assert code == 0
    s1 = json.loads(out)
    assert s1["read"] == 11 and s1["read"] == s1["stored"] + s1["duplicate"] + s1["rejected"]
    assert s1["rejected_by"].get("read/E_NO_ARTICLE") == 1 and s1["rejected_by"].get("read/E_JSON") == 1
    code, out, _ = run("ingest", str(corpus), "--db", db, "--upto", "text-layer", "--field", "text=content")
    assert code == 0 and "stored 0" in out and f"duplicate {s1['stored']}" in out

    code, out, _ = run("search", "طهران", "--db", db, "--format", "json")
    hits = json.loads(out)["hits"]
    assert code == 0 and hits and hits[0]["published"] == "2020-12-01"
    code, out, _ = run("show", hits[0]["id"][:8], "--db", db)
    assert code == 0 and "طهران" in out and "2020-12-01" in out
    code, out, _ = run("show", hits[0]["id"], "--db", db, "--raw")
    assert code == 0 and "<html" in out[:3000].lower()

    code, out, _ = run("stats", "--db", db, "--format", "json")
    st = json.loads(out)
    assert st["articles"] == s1["stored"] and st["rejects"] == 2 and st["sources"]["BBC"] == 6

    code, out, _ = run("rejects", "--db", db, "--format", "jsonl", "--with-raw")
    rows = [json.loads(x) for x in out.splitlines()]
    assert {r["code"] for r in rows} == {"E_NO_ARTICLE", "E_JSON"}
    assert any("{broken" in (r.get("raw") or "") or r.get("raw_encoding") == "base64" for r in rows)

    code, out, _ = run("export", "--db", db, "--format", "jsonl", "--source", "BBC")
    recs = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(recs) == 6 and all(r["source"] == "BBC" for r in recs)

    pq = tmp_path / "out.parquet"
    code, _, _ = run("export", "--db", db, "--format", "parquet", "-o", str(pq))
    import pyarrow.parquet as papq

    t = papq.read_table(pq)
    assert code == 0 and t.num_rows == s1["stored"] and "body" in t.column_names


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    code, _, err = run("search", "x", "--db", str(tmp_path / "none.db"))
    assert code != 0 and "no database" in err and "Traceback" not in err
    db = str(tmp_path / "e.db")
    from marsad.store import Store

    Store(db, hooks=[]).close()
    code, _, err = run("search", '"oops', "--db", db)
    assert code != 0 and "cannot parse search query" in err and "Traceback" not in err
    code, _, err = run("show", "deadbeefcafe", "--db", db)
    assert code != 0 and "no article" in err
    code, _, err = run("export", "--db", db, "--format", "parquet")
    assert code != 0 and "--output" in err


def test_full_pipeline_fills_analysis_tables_and_event_exports(tmp_path: Path, shared: Path) -> None:
    gold = json.loads((shared / "gold" / "dev" / "seed.json").read_text(encoding="utf-8"))
    src = tmp_path / "seed.jsonl"
    src.write_text(
        json.dumps({"text": gold["text"], "id": "seed"}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    db = str(tmp_path / "full.db")
    code, out, _ = run("ingest", str(src), "--db", db, "--json")
    assert code == 0 and json.loads(out)["stored"] == 1
    code, out, _ = run("stats", "--db", db, "--format", "json")
    st = json.loads(out)
    assert st["entities"] > 0
    code, out, _ = run("show", "seed", "--db", db, "--format", "json")
    assert json.loads(out)["id"] == "seed"
    for fmt in ("gdelt", "plover"):
        code, out, err = run("export", "--db", db, "--format", fmt)
        assert code == 0, err
        assert f"as {fmt}" in err
    code, out, _ = run("export", "--db", db, "--format", "gdelt", "--header")
    assert out.startswith("GLOBALEVENTID\t")


def test_every_store_command_has_help() -> None:
    for cmd in ("ingest", "search", "show", "stats", "rejects", "export"):
        code, out, _ = run(cmd, "--help")
        assert code == 0 and len(out.split("\n\n")[1].strip()) > 20, cmd
