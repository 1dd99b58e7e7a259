"""``marsad eval pairs``: pairwise precision/recall/F1 of duplicate detection and story grouping on labelled pairs.

The pairs folder (../shared/data/pairs) holds ``articles.jsonl`` (id, source, published, title, text) and
``pairs.jsonl`` ({pair, a, b, label: DUP | STORY | DIFF}). The articles go through the pipeline into a fresh
store (the real :class:`marsad.store.Store` with its dedup hook), then each pair is predicted from the groups
the store keeps: DUP when both articles are in the same copy group, same story when in the same story.

:func:`cross_validate` re-chooses the thresholds on K-1 folds of the pairs and scores the held-out fold, which is
how the shipped thresholds were checked for over-fitting (docs/dedup.md).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from marsad.data import Article
from marsad.errors import InputError

DUP_LABELS = frozenset({"DUP"})
STORY_LABELS = frozenset({"DUP", "STORY"})


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        return (f"{name:<6} precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
                f"(tp {self.tp}, fp {self.fp}, fn {self.fn})")  # fmt: skip


def prf(pred: Sequence[bool], gold: Sequence[bool]) -> PRF:
    tp = sum(1 for p, g in zip(pred, gold, strict=True) if p and g)
    fp = sum(1 for p, g in zip(pred, gold, strict=True) if p and not g)
    fn = sum(1 for p, g in zip(pred, gold, strict=True) if g and not p)
    return PRF(tp, fp, fn)


def load_pairs(folder: str | Path) -> tuple[list[Article], list[dict[str, Any]]]:
    folder = Path(folder)
    a_path, p_path = folder / "articles.jsonl", folder / "pairs.jsonl"
    for p in (a_path, p_path):
        if not p.is_file():
            raise InputError(f"{p} not found (expected a pairs folder with articles.jsonl and pairs.jsonl)",
                             code="E_PAIRS")  # fmt: skip
    articles = []
    for n, line in enumerate(a_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            articles.append(
                Article.new(
                    d.get("text") or "",
                    id=str(d["id"]),
                    source=d.get("source") or "",
                    title=d.get("title") or None,
                    published=d.get("published") or None,
                )
            )
        except (ValueError, KeyError) as e:
            raise InputError(f"{a_path}:{n}: not an article record ({e})", code="E_PAIRS") from e
    pairs = []
    for n, line in enumerate(p_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            pairs.append(
                {
                    "pair": d.get("pair", n),
                    "a": str(d["a"]),
                    "b": str(d["b"]),
                    "label": str(d["label"]),
                    "note": d.get("note", ""),
                }
            )
        except (ValueError, KeyError) as e:
            raise InputError(f"{p_path}:{n}: not a pair record ({e})", code="E_PAIRS") from e
    return articles, pairs


@dataclass
class PairsResult:
    dup: PRF
    story: PRF
    n_pairs: int
    n_articles: int
    n_stored: int
    pipeline: list[str]
    errors: list[dict[str, Any]]

    def lines(self) -> list[str]:
        return [
            f"pairs {self.n_pairs}, articles {self.n_articles} ({self.n_stored} stored), "
            f"pipeline: {' > '.join(self.pipeline) or '(none)'}",
            self.dup.line("DUP"),
            self.story.line("STORY"),
        ]


def build_pipeline(upto: str | None, log: Callable[[str], None]) -> Any:
    """The default pipeline (up to ``upto``). A pipeline that cannot be built (a stage being changed) falls back to
    the text layer, with a note: the eval measures dedup, which needs clean text first of all."""
    from marsad.errors import ConfigError
    from marsad.stages import default_pipeline

    try:
        return default_pipeline(upto=upto)
    except ConfigError as e:
        log(f"note: full pipeline unavailable ({e}); using clean > text-layer")
        return default_pipeline(upto="text-layer")


def evaluate(
    folder: str | Path,
    *,
    upto: str | None = None,
    db: str | Path | None = None,
    hook: Any = None,
    log: Callable[[str], None] = lambda s: None,
) -> PairsResult:
    """Ingest the pairs' articles into a fresh store (a temporary file unless ``db``) and score the pairs."""
    from marsad.dedup.hook import DedupHook
    from marsad.store import Store

    articles, pairs = load_pairs(folder)
    pipe = build_pipeline(upto, log)
    with tempfile.TemporaryDirectory(prefix="marsad-pairs-") as tmp:
        path = Path(db) if db else Path(tmp) / "pairs.db"
        if path.exists():
            raise InputError(f"{path} exists; the pairs eval needs a fresh database", code="E_PAIRS")
        with Store(path, hooks=[hook or DedupHook()]) as store:
            store.ingest(articles, pipeline=pipe)
            groups, copies = _groups(store.conn)
    return score_pairs(pairs, groups, copies, n_articles=len(articles), pipeline=pipe.names)


def _groups(conn: sqlite3.Connection) -> tuple[dict[str, tuple[str, str]], set[tuple[str, str]]]:
    groups = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT article_id, dup_group, story FROM dedup_docs")}
    copies = {
        (r[0], r[1]) for r in conn.execute("SELECT a, b FROM dedup_links WHERE kind IN ('dup', 'part')")
    }
    return groups, copies


def score_pairs(
    pairs: list[dict[str, Any]],
    groups: dict[str, tuple[str, str]],
    copies: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
    *,
    n_articles: int = 0,
    pipeline: list[str] | None = None,
) -> PairsResult:
    """A pair is predicted DUP when its articles are in one copy group or one holds a copy of the other (a
    round-up), and same-story when in one story or predicted DUP."""

    def same(a: str, b: str, i: int) -> bool:
        return a in groups and b in groups and groups[a][i] == groups[b][i]

    pd = [same(p["a"], p["b"], 0) or tuple(sorted((p["a"], p["b"]))) in copies for p in pairs]
    ps = [d or same(p["a"], p["b"], 1) for p, d in zip(pairs, pd, strict=True)]
    gd = [p["label"] in DUP_LABELS for p in pairs]
    gs = [p["label"] in STORY_LABELS for p in pairs]
    errors = [
        {**p, "predicted_dup": d, "predicted_story": s}
        for p, d, s, g1, g2 in zip(pairs, pd, ps, gd, gs, strict=True)
        if d != g1 or s != g2
    ]
    return PairsResult(prf(pd, gd), prf(ps, gs), len(pairs), n_articles, len(groups), pipeline or [], errors)


# -- threshold choice, cross-validated ------------------------------------------------------------------------


def pair_scores(folder: str | Path, *, upto: str | None = None) -> tuple[list[Any], list[str]]:
    """Pairwise scores (:class:`marsad.dedup.hook.PairScore`) of every labelled pair, and their labels."""
    from marsad.dedup.hook import features, score

    articles, pairs = load_pairs(folder)
    pipe = build_pipeline(upto, lambda s: None)
    feats = {}
    for a in articles:
        out = pipe.process(a)
        if isinstance(out, Article):
            feats[out.id] = features(out)
    scores, labels = [], []
    for p in pairs:
        fa, fb = feats.get(p["a"]), feats.get(p["b"])
        scores.append(
            score(fa, fb) if fa is not None and fb is not None and fa.n_words and fb.n_words else None
        )
        labels.append(p["label"])
    return scores, labels


DUP_GRID = [
    (c / 40, k / 40) for c in range(10, 29) for k in range(0, 33)
]  # containment 0.25..0.7, cosine 0..0.8


def choose_dup_thresholds(scores: Sequence[Any], labels: Sequence[str]) -> tuple[float, float]:
    """(containment, cosine) maximising DUP F1; among ties the median of the optimal plateau (robust to shift)."""
    gold = [lab in DUP_LABELS for lab in labels]
    best, opt = -1.0, []
    for c, k in DUP_GRID:
        f = prf([s is not None and s.containment >= c and s.cosine >= k for s in scores], gold).f1
        if f > best + 1e-12:
            best, opt = f, [(c, k)]
        elif abs(f - best) <= 1e-12:
            opt.append((c, k))
    cs, ks = sorted(o[0] for o in opt), sorted(o[1] for o in opt)
    return cs[len(cs) // 2], ks[len(ks) // 2]


def cross_validate(
    scores: Sequence[Any], labels: Sequence[str], *, k: int = 5, repeats: int = 10, seed: int = 0
) -> dict[str, Any]:
    """Pooled K-fold CV of the threshold choice: F1 of held-out predictions, mean and min over repeats."""
    import random

    rng = random.Random(seed)
    gold = [lab in DUP_LABELS for lab in labels]
    f1s, chosen = [], []
    for _ in range(repeats):
        idx = list(range(len(scores)))
        rng.shuffle(idx)
        folds = [idx[i::k] for i in range(k)]
        pred = [False] * len(scores)
        for fold in folds:
            held = set(fold)
            train = [i for i in idx if i not in held]
            c, kk = choose_dup_thresholds([scores[i] for i in train], [labels[i] for i in train])
            chosen.append((c, kk))
            for i in fold:
                s = scores[i]
                pred[i] = s is not None and s.containment >= c and s.cosine >= kk
        f1s.append(prf(pred, gold).f1)
    return {"k": k, "repeats": repeats, "f1_mean": sum(f1s) / len(f1s), "f1_min": min(f1s),
            "chosen": sorted(set(chosen)), "full": choose_dup_thresholds(scores, labels)}  # fmt: skip


def with_thresholds(hook: Any, **changes: float) -> Any:
    from marsad.dedup.hook import DedupHook

    return DedupHook(replace(hook.th, **changes))
