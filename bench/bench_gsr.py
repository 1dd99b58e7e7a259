"""PROTEST and ASSAULT detection on the Arabic PLOVER gold-standard sentences (../shared/data/arabic-event-gsr).

Recall over the sentences all annotators accepted ("yes"); precision against those plus the rejected ones
("easy no", "difficult no"); "ambiguous" sentences are left out. The negatives were chosen because they contain
the same keywords, so a cue lexicon alone has high recall and low precision here; ``--learned`` also reports a
character n-gram logistic-regression sentence classifier (scikit-learn) under 5-fold cross-validation, alone and
combined with the lexicon — the same configuration as the model shipped in marsad.events.sentence_clf (trained
there on all sentences, so only cross-validated figures are honest). Reproduce with:
    python bench/bench_gsr.py [../shared/data/arabic-event-gsr] [--learned]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from marsad.events.extract import sentence_types


def main(folder: Path) -> None:
    for typ, fname in (("PROTEST", "protest_gsr.csv"), ("ASSAULT", "assault_gsr.csv")):
        tp = fp = fn = tn = 0
        hard_fp = 0
        with (folder / fname).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["label"] == "ambiguous":
                    continue
                gold = row["label"] == "yes"
                pred = typ in sentence_types(row["text"])
                if gold and pred:
                    tp += 1
                elif gold:
                    fn += 1
                elif pred:
                    fp += 1
                    hard_fp += row["label"] == "difficult no"
                else:
                    tn += 1
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"{typ:8s} recall {r:.3f} ({tp}/{tp + fn})  precision {p:.3f} ({tp}/{tp + fp})  F1 {f1:.3f}  "
            f"false positives on 'difficult no' {hard_fp}"
        )
    print(f"command: python bench/bench_gsr.py {folder}")


def learned(folder: Path) -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    from marsad.lang.ar.normalize import normalize

    for typ, fname in (("PROTEST", "protest_gsr.csv"), ("ASSAULT", "assault_gsr.csv")):
        with (folder / fname).open(encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["label"] != "ambiguous"]
        x = [normalize(r["text"]) for r in rows]
        y = np.array([r["label"] == "yes" for r in rows])
        lex = np.array([typ in sentence_types(r["text"]) for r in rows])
        clf = make_pipeline(
            TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=50000
            ),
            LogisticRegression(C=10, class_weight="balanced", max_iter=2000),
        )
        prob = cross_val_predict(
            clf, x, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), method="predict_proba"
        )
        for name, pred in (("classifier p>0.3", prob[:, 1] > 0.3), ("classifier p>0.5", prob[:, 1] > 0.5),
                           ("lexicon & p>0.3", (prob[:, 1] > 0.3) & lex)):  # fmt: skip
            tp = int((pred & y).sum())
            p = tp / max(int(pred.sum()), 1)
            r = tp / int(y.sum())
            print(
                f"{typ:8s} {name:17s} 5-fold CV recall {r:.3f}  precision {p:.3f}  F1 {2 * p * r / max(p + r, 1e-9):.3f}"
            )
    print(f"command: python bench/bench_gsr.py {folder} --learned")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    default = Path(__file__).resolve().parents[1].parent / "shared/data/arabic-event-gsr"
    folder = Path(args[0]) if args else default
    main(folder)
    if "--learned" in sys.argv:
        learned(folder)
