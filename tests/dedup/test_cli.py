"""``marsad eval pairs`` and ``marsad stories`` end to end (real store on disk, click runner)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from marsad.cli import main

from .synth import corpus


def _write_pairs(folder, articles, pairs):
    folder.mkdir()
    (folder / "articles.jsonl").write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8"
    )
    (folder / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")


def _synthetic_pairs(folder):
    arts, exp = corpus()
    articles = [
        {"id": a.id, "source": a.source, "published": a.published, "title": a.title, "text": a.text}
        for a in arts
    ]
    pairs = [
        {"pair": 1, "a": "w0", "b": "w0r1", "label": "DUP"},
        {"pair": 2, "a": "w1r0", "b": "w1r1", "label": "DUP"},
        {"pair": 3, "a": "s0a", "b": "s0b", "label": "STORY"},
        {"pair": 4, "a": "u0", "b": "u1", "label": "DIFF"},
        {"pair": 5, "a": "w0", "b": "w1", "label": "DIFF"},
        {"pair": 6, "a": "empty", "b": "u2", "label": "DIFF"},
    ]
    _write_pairs(folder, articles, pairs)


def _figures(out):
    got = {}
    for line in out.splitlines():
        m = re.match(r"(DUP|STORY)\s+precision ([\d.]+)\s+recall ([\d.]+)\s+F1 ([\d.]+)", line)
        if m:
            got[m.group(1)] = tuple(float(x) for x in m.groups()[1:])
    return got


def test_eval_pairs_synthetic(tmp_path):
    _synthetic_pairs(tmp_path / "pairs")
    r = CliRunner().invoke(main, ["eval", "pairs", str(tmp_path / "pairs"), "--upto", "dates"])
    assert r.exit_code == 0, r.output
    fig = _figures(r.output)
    assert fig["DUP"] == (1.0, 1.0, 1.0)
    assert fig["STORY"] == (1.0, 1.0, 1.0)


def test_eval_pairs_missing_folder_is_one_line(tmp_path):
    (tmp_path / "nothing").mkdir()
    r = CliRunner().invoke(main, ["eval", "pairs", str(tmp_path / "nothing")])
    assert r.exit_code != 0
    assert "articles.jsonl" in r.output and "Traceback" not in r.output


def test_eval_pairs_shared_subset(shared, tmp_path):
    """A subset of the labelled pairs (first 40): the command prints DUP and STORY lines with sane figures."""
    src = shared / "data" / "pairs"
    pairs = [json.loads(x) for x in (src / "pairs.jsonl").read_text(encoding="utf-8").splitlines()[:40]]
    need = {p["a"] for p in pairs} | {p["b"] for p in pairs}
    arts = [
        a
        for a in map(json.loads, (src / "articles.jsonl").read_text(encoding="utf-8").splitlines())
        if a["id"] in need
    ]
    _write_pairs(tmp_path / "sub", arts, pairs)
    r = CliRunner().invoke(main, ["eval", "pairs", str(tmp_path / "sub"), "--upto", "dates", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output.strip().splitlines()[-1])
    assert d["pairs"] == 40
    assert d["dup"]["f1"] >= 0.85 and d["story"]["f1"] >= 0.8


@pytest.fixture()
def story_db(tmp_path):
    from marsad.store import Store

    arts, _ = corpus()
    path = tmp_path / "m.db"
    with Store(path) as st:
        st.add(arts)
    return str(path)


def test_stories_list_and_one(story_db):
    runner = CliRunner()
    r = runner.invoke(main, ["stories", "--db", story_db])
    assert r.exit_code == 0, r.output
    lines = [x for x in r.output.splitlines() if x.startswith("st-")]
    assert len(lines) >= 9  # six wire stories + three independent-write-up stories
    first = lines[0].split()[0]
    r = runner.invoke(main, ["stories", "--db", story_db, "--id", first])
    assert r.exit_code == 0 and "articles:" in r.output
    r = runner.invoke(main, ["stories", "--db", story_db, "--id", first, "--format", "json"])
    assert json.loads(r.output)["id"] == first
    r = runner.invoke(main, ["stories", "--db", story_db, "--article", "w3r0"])
    assert r.exit_code == 0 and "reprint of w3" in r.output


def test_stories_unknown_id_is_one_line(story_db):
    r = CliRunner().invoke(main, ["stories", "--db", story_db, "--id", "st-nope"])
    assert r.exit_code == 2
    assert "no story st-nope" in r.output and "Traceback" not in r.output
