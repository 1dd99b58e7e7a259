"""Evaluation gate on the dev gold set, scored with the shared scorer (../shared/eval/score.py).

Floors are the issue-2 acceptance figures; raise them only deliberately."""

import importlib.util
import json
import sys

from marsad.clean import CleanStage
from marsad.data import Article

FLOORS = {"title": 0.95, "published": 0.95, "body": 0.95, "page_body": 0.90}


def _scorer(shared):
    path = shared / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("marsad_gold_score", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("marsad_gold_score", mod)
    spec.loader.exec_module(mod)
    return mod


def test_dev_set_meets_issue_2_floors(shared):
    score = _scorer(shared)
    clean = CleanStage()
    titles, dates, page_f1 = [], [], []
    tp = n_pred = n_gold = 0
    for p in sorted((shared / "gold" / "dev").glob("*.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        im = g.get("input_meta") or {}
        a = clean(Article.new(g["text"], id=g["id"], title=im.get("title"), published=im.get("published")))
        assert isinstance(a, Article), g["id"]
        titles.append(score.norm(a.title or "") == score.norm(g.get("title") or ""))
        dates.append(a.published == g.get("published"))
        gb, sb = score.body_tokens(g), score.tokens(a.body)
        ov = score.multiset_overlap(sb, gb)
        tp, n_pred, n_gold = tp + ov, n_pred + len(sb), n_gold + len(gb)
        if g["id"].startswith("page-"):
            page_f1.append(score.prf(ov, len(sb), ov, len(gb))["f1"])
    body = score.prf(tp, n_pred, tp, n_gold)["f1"]
    assert sum(titles) / len(titles) >= FLOORS["title"]
    assert sum(dates) / len(dates) >= FLOORS["published"]
    assert body >= FLOORS["body"]
    assert page_f1 and sum(page_f1) / len(page_f1) >= FLOORS["page_body"]
