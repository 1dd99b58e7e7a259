"""`marsad stance` and the dedup ids that exports carry, on the bundled example articles."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    p = run("ingest", str(REPO / "examples"), "--db", str(db), "--no-progress")
    assert p.returncode == 0, p.stderr
    return db


def test_stance_lists_signed_dyads(demo_db):
    p = run("stance", "--db", str(demo_db), "--format", "jsonl")
    assert p.returncode == 0, p.stderr
    rows = [json.loads(x) for x in p.stdout.splitlines()]
    by = {(r["source"], r["target"]): r for r in rows}
    # the sanctions story: the EU acts against Russia (conflict); Egypt and Jordan consult (cooperation, both ways)
    assert any(t == "RUS" and r["score"] < 0 for (s, t), r in by.items())
    assert by[("EGY", "JOR")]["score"] > 0 and by[("JOR", "EGY")]["score"] > 0
    assert all(r["events"] >= 1 and r["label"] in {"positive", "negative", "neutral"} for r in rows)


def test_export_carries_copy_group_and_story(demo_db):
    p = run("export", "--db", str(demo_db), "--format", "jsonl")
    assert p.returncode == 0, p.stderr
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(recs) == 5
    dedup = {r["source"].rsplit("/", 1)[-1]: r["meta"]["dedup"] for r in recs}
    orig, reprint = dedup["02-sanctions.txt"], dedup["03-sanctions-reprint.txt"]
    assert reprint["copy_group"] == orig["copy_group"] and reprint["story"] == orig["story"]
    assert orig["is_original"] and not reprint["is_original"]
    assert dedup["01-cairo-talks.txt"]["story"] != orig["story"]
