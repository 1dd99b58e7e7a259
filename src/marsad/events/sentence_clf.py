"""A small learned sentence classifier for PROTEST and ASSAULT (is this sentence about such an event?).

The cue lexicon finds nearly every protest/attack sentence but cannot tell a report of one from a sentence that
only mentions the words (the Arabic PLOVER gold standard's negatives are chosen exactly that way). A linear model
over character n-grams (scikit-learn ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)``
+ ``LogisticRegression``) separates them much better; see ``bench/bench_gsr.py`` for the cross-validated figures.

The model ships as plain JSON (vocabulary, idf, weights), so using it needs neither scikit-learn nor pickles; the
featuriser below reproduces scikit-learn's ``char_wb`` analyser exactly (a test checks this against scikit-learn).
Train it with ``python -m marsad.events.sentence_clf train ../shared/data/arabic-event-gsr`` (needs scikit-learn).
"""

from __future__ import annotations

import gzip
import json
import math
import re
import sys
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.lang.ar.normalize import normalize

MODEL_FILE = "data/sentence_clf.json.gz"
NGRAMS = (2, 5)
MAX_FEATURES = 20000
# decision thresholds picked on 5-fold cross-validation (best F1), see bench/bench_gsr.py
THRESHOLDS = {"PROTEST": 0.3, "ASSAULT": 0.5}
_WS = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, ngram_range: tuple[int, int] = NGRAMS) -> list[str]:
    """scikit-learn's ``char_wb`` analyser (lower-casing, whitespace folding, words padded with spaces)."""
    text = _WS.sub(" ", text.lower())
    lo, hi = ngram_range
    out: list[str] = []
    for w in text.split():
        w = f" {w} "
        w_len = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            out.append(w[offset : offset + n])
            while offset + n < w_len:
                offset += 1
                out.append(w[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return out


class SentenceClassifier:
    def __init__(self, models: dict[str, dict[str, Any]]):
        self.models = {}
        for typ, m in models.items():
            vocab = {g: i for i, g in enumerate(m["vocab"])}
            self.models[typ] = (vocab, m["idf"], m["coef"], float(m["intercept"]))

    def proba(self, text: str) -> dict[str, float]:
        grams = Counter(char_wb_ngrams(normalize(text)))
        out = {}
        for typ, (vocab, idf, coef, b) in self.models.items():
            feats = {}
            for g, c in grams.items():
                i = vocab.get(g)
                if i is not None:
                    feats[i] = (1.0 + math.log(c)) * idf[i]
            norm = math.sqrt(sum(v * v for v in feats.values())) or 1.0
            z = b + sum(v / norm * coef[i] for i, v in feats.items())
            out[typ] = 1.0 / (1.0 + math.exp(-z))
        return out

    def types(self, text: str) -> set[str]:
        p = self.proba(text)
        return {t for t, v in p.items() if v >= THRESHOLDS.get(t, 0.5)}


@lru_cache(maxsize=1)
def load() -> SentenceClassifier | None:
    """The shipped model, or None when the package was built without it."""
    try:
        raw = resources.files("marsad.events").joinpath(MODEL_FILE).read_bytes()
    except (FileNotFoundError, OSError):
        return None
    return SentenceClassifier(json.loads(gzip.decompress(raw)))


def train(folder: Path, out: Path) -> None:  # pragma: no cover - a build step, run by hand
    import csv

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    models = {}
    for typ, fname in (("PROTEST", "protest_gsr.csv"), ("ASSAULT", "assault_gsr.csv")):
        with (folder / fname).open(encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["label"] != "ambiguous"]
        x = [normalize(r["text"]) for r in rows]
        y = [r["label"] == "yes" for r in rows]
        vec = TfidfVectorizer(
            analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True, max_features=MAX_FEATURES
        )
        clf = LogisticRegression(C=10, class_weight="balanced", max_iter=2000).fit(vec.fit_transform(x), y)
        vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        models[typ] = {
            "vocab": vocab,
            "idf": [round(float(v), 5) for v in vec.idf_],
            "coef": [round(float(v), 5) for v in clf.coef_[0]],
            "intercept": float(clf.intercept_[0]),
            "trained_on": f"{fname}: {len(rows)} sentences ({sum(y)} yes), arabic-event-gsr (MIT)",
        }
    out.write_bytes(gzip.compress(json.dumps(models, ensure_ascii=False).encode("utf-8"), mtime=0))
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) >= 3 and sys.argv[1] == "train":
        target = Path(__file__).resolve().parent / MODEL_FILE
        train(Path(sys.argv[2]), target)
    else:
        print("usage: python -m marsad.events.sentence_clf train ../shared/data/arabic-event-gsr")
