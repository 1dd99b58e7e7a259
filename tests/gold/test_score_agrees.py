"""marsad's gold scorer gives the published scorer's figures (``../shared/eval/score.py``) on the same output."""

from __future__ import annotations

import json
import subprocess
import sys

from marsad.gold import load_gold, score_docs


def _system_records(golds):
    """A stand-in system output: gold entities, quotes and events, every third one dropped or altered."""
    out = {}
    for gi, g in enumerate(golds):
        ents = [{"id": e["id"], "type": e["type"], "name": e["name"], "country": e.get("country"),
                 "mentions": [{"text": m} for m in e["mentions"]]}
                for i, e in enumerate(g["entities"]) if (i + gi) % 3]  # fmt: skip
        quotes = [{"speaker": q["speaker"][::-1] if i % 4 == 0 else q["speaker"], "text": q["text"]}
                  for i, q in enumerate(g["quotes"]) if i % 3]  # fmt: skip
        events = [{"type": "DISAPPROVE" if e["type"] == "ACCUSE" and i % 2 else e["type"],
                   "source": e["target"] if i % 5 == 0 else e["source"], "target": e["target"]}
                  for i, e in enumerate(g["events"])]  # fmt: skip
        out[g["id"]] = {"id": g["id"], "title": g.get("title"), "published": g.get("published"),
                        "body": g["text"][: len(g["text"]) // 2], "entities": ents, "quotes": quotes,
                        "events": events}  # fmt: skip
    return out


def test_same_figures_as_score_py(shared, tmp_path):
    gold_dir = shared / "gold" / "dev"
    golds = [d.raw for d in load_gold(gold_dir)]
    recs = _system_records(golds)
    sysfile = tmp_path / "out.jsonl"
    sysfile.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs.values()), encoding="utf-8")
    res = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(gold_dir), str(sysfile), "--json"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    theirs = json.loads(res.stdout)["summary"]
    ours = score_docs(golds, recs).summary()
    for key in ("entities", "quotes", "quotes_attributed", "events", "events_dyad", "body"):
        for m in ("p", "r", "f1", "n_pred", "n_gold"):
            assert ours[key][m] == theirs[key][m], (key, m)
    for key in ("title", "published", "entity_country"):
        assert ours[key] == theirs[key]
    assert ours["events_not_current_plover"] == theirs["events_not_current_plover"] > 0
