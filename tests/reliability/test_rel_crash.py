"""Crash and concurrency: kill -9 during `marsad ingest` at 20 different points, two ingests into one store at
once, and a reader process polling while they write. Afterwards the store passes `PRAGMA integrity_check`, every
stored article is whole (its entity/quote/event rows match its record), and once the ingest is re-run every input
is present exactly once or in rejects."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rel_cases import jsonl_line

pytest.importorskip("marsad.store")

N_ARTICLES = 60
BAD_LINES = (7, 23, 41)
KILLS = 20


def _corpus(d: Path, lo: int = 0, hi: int = N_ARTICLES, name: str = "in.jsonl") -> Path:
    lines = [jsonl_line(i) for i in range(lo, hi)]
    for k in BAD_LINES:
        if lo <= k < hi:
            lines.insert(k - lo, b'{"text": "broken line %d' % k)
    p = d / name
    p.write_bytes(b"\n".join(lines) + b"\n")
    return p


def _ingest(db: Path, *paths: Path, batch: int = 5) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from marsad.cli import main; main()", "ingest", *map(str, paths), "--db", str(db), "--json",
         "--batch-size", str(batch), "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _state(db: Path) -> tuple[list[str], int]:
    """Stored article ids (with repeats, if any) and the number of rejects, after checking the store whole."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in con.execute("SELECT id FROM articles")]
        rejects = con.execute("SELECT count(*) FROM rejects").fetchone()[0]
    finally:
        con.close()
    from marsad.store import Store

    with Store(db, readonly=True) as st:  # each stored article is whole: its analysis rows match its record
        for aid in ids:
            art = st.get(aid)
            n_ent = st.conn.execute("SELECT count(*) FROM entities WHERE article_id = ?", (aid,)).fetchone()[0]
            n_ev = st.conn.execute("SELECT count(*) FROM events WHERE article_id = ?", (aid,)).fetchone()[0]
            assert (n_ent, n_ev) == (len(art.entities), len(art.events)), aid
    return ids, rejects


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    d = tmp_path_factory.mktemp("base")
    src = _corpus(d)
    db = d / "base.db"
    p = _ingest(db, src)
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    ids, rejects = _state(db)
    assert summary["read"] == N_ARTICLES + len(BAD_LINES)
    assert len(ids) == len(set(ids)) == N_ARTICLES and rejects == len(BAD_LINES)
    return {"src": src, "ids": sorted(ids), "rejects": rejects}


def _stored_count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:  # not created yet
        return -1


def test_kill_9_at_random_points_then_resume(baseline, tmp_path):
    rng = random.Random(20240601)
    killed_mid_write = 0
    for i in range(KILLS):
        db = tmp_path / f"k{i}.db"
        p = _ingest(db, baseline["src"])
        # Kill points follow progress, not the clock (a loaded CI machine must not shift them): once the i-th
        # twentieth of the articles is stored, wait a random fraction of a batch, then SIGKILL.
        target = N_ARTICLES * i // KILLS
        while p.poll() is None and _stored_count(db) < target:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.08))
        alive = p.poll() is None
        if alive:
            os.kill(p.pid, signal.SIGKILL)
        p.wait()
        ids, _ = _state(db)
        assert len(ids) == len(set(ids))
        assert set(ids) <= set(baseline["ids"])
        killed_mid_write += alive and len(ids) < N_ARTICLES
        if i % 4 == 0 or i == KILLS - 1:  # resume: the same command finishes the job, nothing twice
            q = _ingest(db, baseline["src"])
            out, err = q.communicate(timeout=600)
            assert q.returncode == 0, err
            ids, rejects = _state(db)
            assert sorted(ids) == baseline["ids"] and rejects == baseline["rejects"]
    assert killed_mid_write >= KILLS * 3 // 4, f"only {killed_mid_write} of {KILLS} kills landed mid-ingest"


def test_two_ingests_and_a_reader_at_once(tmp_path):
    a = _corpus(tmp_path, 0, 40, "a.jsonl")
    b = _corpus(tmp_path, 20, 60, "b.jsonl")  # 20 articles and one bad line in common
    db = tmp_path / "both.db"
    from marsad.store import Store

    Store(db).close()  # created up front so the reader can open it read-only
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(db)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    p1, p2 = _ingest(db, a, batch=3), _ingest(db, b, batch=4)
    outs = [p.communicate(timeout=600) for p in (p1, p2)]
    Path(str(db) + ".stop").touch()
    r_out, r_err = reader.communicate(timeout=120)
    for p, (out, err) in zip((p1, p2), outs, strict=True):
        assert p.returncode == 0, err
        s = json.loads(out.strip().splitlines()[-1])
        assert s["read"] == s["stored"] + s["duplicate"] + s["rejected"]
    s1, s2 = (json.loads(o.strip().splitlines()[-1]) for o, _ in outs)
    ids, rejects = _state(db)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == N_ARTICLES
    assert s1["stored"] + s2["stored"] == N_ARTICLES  # every shared article stored by exactly one of them
    # a bad line is an input of its file: the one both files hold is rejected once for each (7, 23 | 23, 41)
    assert rejects == 4
    assert reader.returncode == 0, r_err
    counts = [int(x) for x in r_out.split()]
    assert len(counts) >= 3 and counts == sorted(counts), "the reader saw the store go backwards or never ran"


_READER = """
import sys, time, random
from pathlib import Path
from marsad.store import Store
db = sys.argv[1]
seen = []
while not Path(db + ".stop").exists():
    with Store(db, readonly=True) as st:
        n = st.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        ids = [r[0] for r in st.conn.execute("SELECT id FROM articles LIMIT 5")]
        for i in ids:
            st.get(i)
    seen.append(n)
    time.sleep(0.05)
print(" ".join(map(str, seen)))
"""
