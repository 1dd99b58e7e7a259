"""Crash safety: kill -9 a real ingest process mid-run, re-run it, and the store holds every article exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from marsad.data import Article
from marsad.readers import read_paths
from marsad.stages import default_pipeline

ARGS = ["--upto", "clean", "--batch-size", "5", "--no-progress", "--json"]


def _ingest_cmd(paths: list[str], db: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from marsad.cli import main; main()",
        "ingest",
        *paths,
        "--db",
        str(db),
        *ARGS,
    ]


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_kill_9_mid_ingest_then_resume(tmp_path: Path, shared: Path) -> None:
    ant = shared / "data" / "ant-multisource"
    paths = [str(ant / "BBC"), str(ant / "CNN")]
    db = tmp_path / "crash.db"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(_ingest_cmd(paths, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and _count(db) < 30:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed; the test needs a longer input"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    before = _count(db)
    assert before >= 30

    done = subprocess.run(_ingest_cmd(paths, db), capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["read"] == summary["stored"] + summary["duplicate"] + summary["rejected"]
    assert summary["duplicate"] >= before  # what survived the crash is skipped, not redone

    pipe = default_pipeline(upto="clean")
    expected = {o.id for o in pipe.run(read_paths(paths)) if isinstance(o, Article)}
    conn = sqlite3.connect(db)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        assert len(ids) == len(set(ids)) == len(expected)
        assert set(ids) == expected
        assert before + summary["stored"] == len(expected)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute(
            "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')"
        )  # raises when corrupt
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == len(expected)
    finally:
        conn.close()
