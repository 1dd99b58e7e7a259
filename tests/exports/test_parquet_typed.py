"""Typed Parquet: dates as date32, nested list<struct> for entities/quotes/events, a schema-version key; DuckDB
answers date predicates on it (the old string column was a BinderException)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def test_export_types_and_duckdb_date_predicate(ant_store: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from marsad.cli import main
    from marsad.store.export import PARQUET_SCHEMA_VERSION, SCHEMA_VERSION_KEY

    out = tmp_path / "a.parquet"
    res = CliRunner().invoke(main, ["export", "--db", str(ant_store), "--format", "parquet", "-o", str(out)])
    assert res.exit_code == 0, res.output
    schema = pq.read_schema(out)
    assert schema.metadata[SCHEMA_VERSION_KEY].decode() == PARQUET_SCHEMA_VERSION
    assert schema.field("published").type == pa.date32()
    ev = schema.field("events").type
    assert pa.types.is_list(ev) and pa.types.is_struct(ev.value_type)
    assert ev.value_type.field("date").type == pa.date32()
    assert pa.types.is_struct(schema.field("entities").type.value_type)
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM read_parquet('{out}') WHERE published >= DATE '2018-03-02'").fetchone()[0]
    with sqlite3.connect(ant_store) as db:
        want = db.execute("SELECT count(*) FROM articles WHERE published >= '2018-03-02'").fetchone()[0]
    assert n == want > 0
    n_ev = con.execute(
        f"SELECT count(*) FROM (SELECT unnest(events) AS e FROM read_parquet('{out}')) "
        "WHERE e.date >= DATE '2018-03-01' AND e.type IS NOT NULL"
    ).fetchone()[0]
    with sqlite3.connect(ant_store) as db:
        n_db = db.execute("SELECT count(*) FROM events WHERE date >= '2018-03-01'").fetchone()[0]
    assert n_ev == n_db


def test_run_shards_are_typed_and_load(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from marsad.cli import main
    from marsad.store.export import PARQUET_SCHEMA_VERSION, SCHEMA_VERSION_KEY

    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    shards = tmp_path / "shards"
    res = CliRunner().invoke(main, ["run", str(examples), "--out", str(shards), "--workers", "1"])
    assert res.exit_code == 0, res.output
    art = pq.read_schema(next((shards / "articles").glob("*.parquet")))
    assert art.metadata[SCHEMA_VERSION_KEY].decode() == PARQUET_SCHEMA_VERSION
    assert art.field("published").type == pa.date32()
    assert pa.types.is_struct(art.field("events").type.value_type)
    ev = pq.read_schema(next((shards / "events").glob("*.parquet")))
    assert ev.field("date").type == pa.date32() and ev.field("published").type == pa.date32()
    duckdb = pytest.importorskip("duckdb")
    n = duckdb.connect().execute(
        f"SELECT count(*) FROM read_parquet('{shards}/events/*.parquet') WHERE date >= DATE '2000-01-01'"
    ).fetchone()[0]
    assert n > 0
    db = tmp_path / "x.db"
    res = CliRunner().invoke(main, ["load", str(shards), "--db", str(db)])
    assert res.exit_code == 0, res.output
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        n_all = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{shards}/events/*.parquet')").fetchone()[0]
        assert c.execute("SELECT count(*) FROM events").fetchone()[0] == n_all
        assert c.execute("SELECT count(*) FROM events WHERE date >= '2000-01-01'").fetchone()[0] == n
