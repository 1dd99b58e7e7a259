"""marsad eval gold / train events / train quotes on a handful of gold articles: the commands a user runs."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from marsad.cli import main


def _small_gold(shared, tmp_path, n=8):
    d = tmp_path / "gold"
    d.mkdir()
    for p in sorted((shared / "gold" / "dev").glob("*.json"))[:n]:
        shutil.copy(p, d / p.name)
    return d


def test_eval_gold_cv_prints_score_lines_tables_and_errors(shared, tmp_path):
    gold = _small_gold(shared, tmp_path)
    errs = tmp_path / "errors.jsonl"
    res = CliRunner().invoke(main, ["eval", "gold", str(gold), "--cv", "2", "--errors", str(errs)])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "cross-validated: 2 folds by document" in out
    for key in ("entities", "quotes_attributed", "events", "events_dyad"):
        assert any(line.startswith(f"{key} ") and " P " in line and " F1 " in line for line in out.splitlines())
    assert "event type" in out and "event threshold sweep" in out and "calibration" in out
    assert "events kept at a confidence floor" in out
    rows = [json.loads(line) for line in errs.read_text(encoding="utf-8").splitlines()]
    assert rows and {"doc", "kind", "what", "text"} <= set(rows[0])


def test_eval_gold_repeat_reports_the_spread_over_splits(shared, tmp_path):
    gold = _small_gold(shared, tmp_path, n=6)
    res = CliRunner().invoke(main, ["eval", "gold", str(gold), "--cv", "2", "--repeat", "2", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output[res.output.index("{"):])
    assert [r["seed"] for r in out["repeats"]] == [0, 1]
    assert out["repeats"][0]["events"] == out["summary"]["events"]["f1"]  # seed 0 is the split printed in full
    # a higher confidence floor keeps a subset of the events: never more of them, never more right ones
    cuts = out["confidence_cuts"]
    assert [c for c, _ in cuts] == sorted(c for c, _ in cuts) and len(cuts) >= 3
    kept = [r["events"]["n_pred"] for _, r in cuts]
    right = [r["events"]["r"] for _, r in cuts]
    assert kept == sorted(kept, reverse=True) and right == sorted(right, reverse=True)
    assert kept[0] <= out["summary"]["events"]["n_pred"]
    for key, st in out["repeat_stats"].items():
        vals = [r[key] for r in out["repeats"]]
        assert st["min"] == round(min(vals), 4) and st["max"] == round(max(vals), 4) and st["sd"] >= 0, key
    res = CliRunner().invoke(main, ["eval", "gold", str(gold), "--repeat", "2"])
    assert res.exit_code == 2 and "--repeat needs --cv" in res.output


def test_train_commands_write_models_that_tag(shared, tmp_path):
    from marsad.events.model import EventModel
    from marsad.quotes.speakers import SpeakerModel
    from marsad.stages import default_pipeline

    gold = _small_gold(shared, tmp_path)
    out = tmp_path / "models"
    runner = CliRunner()
    res = runner.invoke(main, ["train", "quotes", str(gold), "--out", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["train", "events", str(gold), "--out", str(out), "--k", "2", "--threshold", "0.2"])
    assert res.exit_code == 0, res.output
    events = EventModel.load(out)
    speakers = SpeakerModel.load(out / "speaker_model.npz")
    assert events.threshold == 0.2 and events.detector.meta["documents"] == 8
    pipe = default_pipeline(event_model=events, speaker_model=speakers)
    art = pipe.process(__import__("marsad").data.Article.new("قال وزير الخارجية الروسي سيرغي لافروف إن روسيا ترفض العقوبات."))
    assert not hasattr(art, "code"), art  # an Article, not a Rejection
    assert all(e.attrs.get("rules") and 0 < e.confidence < 1 for e in art.events)


def test_eval_gold_user_errors(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["eval", "gold", str(tmp_path)])
    assert res.exit_code == 2 and "no *.json gold files" in res.output
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    res = runner.invoke(main, ["eval", "gold", str(tmp_path)])
    assert res.exit_code == 2 and "not a readable gold JSON file" in res.output
