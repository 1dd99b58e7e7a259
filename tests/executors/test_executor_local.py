"""The local executor: same records as one core, input order kept, nothing lost, shards round-trip."""

from __future__ import annotations

import sys

import duckdb
import pytest
from click.testing import CliRunner
from exec_helpers import UPTO

from marsad.cli import main
from marsad.data import Article, Rejection
from marsad.errors import MissingDependency
from marsad.executors import iter_keyed, read_results, run
from marsad.executors.base import make_key


def _fingerprint(item: Article | Rejection):
    if isinstance(item, Rejection):
        return ("rej", item.stage, item.code, item.source)
    return ("art", item.to_json())


@pytest.fixture(scope="module")
def one_core(corpus_paths):
    return list(iter_keyed(corpus_paths, workers=1, upto=UPTO))


def test_pool_matches_one_core_in_order(corpus_paths, one_core):
    two = list(iter_keyed(corpus_paths, workers=2, chunksize=3, upto=UPTO))
    assert [k for k, _ in two] == [k for k, _ in one_core] == sorted(k for k, _ in one_core)
    assert [_fingerprint(i) for _, i in two] == [_fingerprint(i) for _, i in one_core]


def test_pool_leaves_the_gc_unfrozen(corpus_paths):
    """The pool freezes the inherited objects out of the cyclic GC while it runs, and only while it runs: after a
    finished run and after a run its caller stopped reading early."""
    import gc
    import multiprocessing as mp

    from marsad.executors.local import _unsafe_to_fork

    forks = "fork" in mp.get_all_start_methods() and not _unsafe_to_fork()  # spawned workers inherit nothing
    before = gc.get_freeze_count()
    list(iter_keyed(corpus_paths, workers=2, chunksize=4, upto=UPTO))
    assert gc.get_freeze_count() == before
    it = iter_keyed(corpus_paths, workers=2, chunksize=4, upto=UPTO)
    next(it)
    assert (gc.get_freeze_count() > before) == forks  # frozen while forked workers run
    it.close()
    assert gc.get_freeze_count() == before


def test_every_input_accounted_for(one_core):
    arts = [i for _, i in one_core if isinstance(i, Article)]
    rejs = [i for _, i in one_core if isinstance(i, Rejection)]
    # 30 JSONL records + 1 page in; the malformed line, the binary file and the missing path are rejections.
    assert len(arts) + sum(1 for r in rejs if r.stage != "read") == 31
    codes = {r.code for r in rejs if r.stage == "read"}
    assert {"E_JSON", "E_BINARY", "E_NOT_FOUND"} <= codes
    assert all(r.reason for r in rejs)


def test_time_limit_applies_in_pool_workers(tmp_path):
    from exec_helpers import slow_pipeline

    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("نص عادي" if i != 1 else "نص SLOW بطيء", encoding="utf-8")
    got = list(iter_keyed([str(tmp_path)], workers=2, pipeline_factory=slow_pipeline))
    assert len(got) == 3
    rej = got[1][1]
    assert isinstance(rej, Rejection) and rej.code == "E_TIMEOUT" and rej.stage == "sleepy"
    assert "1s" in rej.reason and rej.raw == "نص SLOW بطيء"
    assert all(isinstance(i, Article) for _, i in (got[0], got[2]))


def test_parquet_shards_round_trip_and_query(corpus_paths, one_core, tmp_path):
    s = run(corpus_paths, out=tmp_path / "out", workers=2, rows_per_shard=7, upto=UPTO)
    assert s.inputs == len(one_core)
    back = sorted(read_results(tmp_path / "out"), key=lambda kv: kv[0])
    assert [k for k, _ in back] == [k for k, _ in one_core]
    assert [_fingerprint(i) for _, i in back] == [_fingerprint(i) for _, i in one_core]
    con = duckdb.connect()
    [(n,)] = con.execute(f"SELECT count(*) FROM '{tmp_path}/out/articles/*.parquet'").fetchall()
    assert n == s.articles
    codes = dict(con.execute(f"SELECT code, count(*) FROM '{tmp_path}/out/rejections/*.parquet' GROUP BY code").fetchall())
    assert codes["E_BINARY"] == 1 and codes["E_NOT_FOUND"] == 1


def test_cli_run_then_load(corpus_paths, tmp_path):
    pytest.importorskip("marsad.store")
    r = CliRunner().invoke(main, ["run", *corpus_paths, "--out", str(tmp_path / "o"), "--workers", "2", *(["--upto", UPTO] if UPTO else [])])
    assert r.exit_code == 3, r.output  # some inputs were rejected
    db = tmp_path / "m.db"
    r = CliRunner().invoke(main, ["load", str(tmp_path / "o"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    import json

    first = json.loads(r.output.strip().splitlines()[-1])
    assert first["read"] == first["stored"] + first["duplicate"] + first["rejected"] > 0
    assert first["rejected"] >= 3
    r = CliRunner().invoke(main, ["load", str(tmp_path / "o"), "--db", str(db)])
    again = json.loads(r.output.strip().splitlines()[-1])
    assert again["stored"] == 0 and again["duplicate"] == first["stored"] + first["duplicate"]

    from marsad.store import Store

    with Store(db) as st:
        some = next(i for _, i in read_results(tmp_path / "o") if isinstance(i, Article))
        assert st.get(some.id).text == some.text


def test_cli_refuses_non_empty_out_and_unknown_format(corpus_paths, tmp_path):
    (tmp_path / "o" / "articles").mkdir(parents=True)
    (tmp_path / "o" / "articles" / "x.parquet").write_bytes(b"")
    r = CliRunner().invoke(main, ["run", corpus_paths[0], "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "E_OUT" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["run", corpus_paths[0], "--out", str(tmp_path / "p"), "--input-format", "nope"])
    assert r.exit_code == 2 and "unknown input format" in r.output


def test_ray_missing_gives_install_hint(corpus_paths, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(MissingDependency, match=r"pip install 'marsad\[ray\]'"):
        run(corpus_paths, out=tmp_path / "o", executor="ray")


def test_keys_sort_in_input_order():
    assert make_key(2, 10) > make_key(2, 9) > make_key(1, 999999)


def test_a_dead_worker_is_a_clear_error_not_a_hang(tmp_path):
    from exec_helpers import killer_pipeline

    from marsad.errors import MarsadError

    for i in range(4):
        (tmp_path / f"{i}.txt").write_text("نص عادي" if i != 2 else "نص KILL", encoding="utf-8")
    with pytest.raises(MarsadError, match="worker process died"):
        list(iter_keyed([str(tmp_path)], workers=2, chunksize=1, pipeline_factory=killer_pipeline))
