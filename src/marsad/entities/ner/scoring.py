"""Entity-level precision/recall/F1 with conlleval semantics.

Written by hand (a port of conlleval.pl's ``startOfChunk``/``endOfChunk``) so that evaluation has no extra dependency
and the edge cases are ours to test: an I-X after O or after another type starts a new chunk (as in conlleval), and
an entity counts as correct only if its start, end and type all match.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


def _split(tag: str) -> tuple[str, str]:
    if tag == "O" or not tag:
        return "O", ""
    if "-" in tag:
        p, _, t = tag.partition("-")
        return p, t
    return "I", tag  # bare type, as conlleval reads "PER"


def _end_of_chunk(prev_tag: str, tag: str, prev_type: str, typ: str) -> bool:
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I"):
        return tag in ("B", "S", "O") or typ != prev_type
    return False


def _start_of_chunk(prev_tag: str, tag: str, prev_type: str, typ: str) -> bool:
    if tag in ("B", "S"):
        return True
    if tag in ("I", "E"):
        return prev_tag in ("E", "S", "O") or typ != prev_type
    return False


def chunks(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entities of one label sequence as (type, start, end) with end exclusive."""
    out: list[tuple[str, int, int]] = []
    prev_tag, prev_type = "O", ""
    start = -1
    for i, lab in enumerate(list(labels) + ["O"]):
        tag, typ = _split(lab)
        if start >= 0 and _end_of_chunk(prev_tag, tag, prev_type, typ):
            out.append((prev_type, start, i))
            start = -1
        if _start_of_chunk(prev_tag, tag, prev_type, typ):
            start = i
        prev_tag, prev_type = tag, typ
    return out


@dataclass
class Scores:
    tp: Counter[str] = field(default_factory=Counter)
    n_pred: Counter[str] = field(default_factory=Counter)
    n_gold: Counter[str] = field(default_factory=Counter)
    tokens: int = 0
    correct_tokens: int = 0

    def prf(self, typ: str | None = None) -> tuple[float, float, float]:
        if typ is None:
            tp, npred, ngold = sum(self.tp.values()), sum(self.n_pred.values()), sum(self.n_gold.values())
        else:
            tp, npred, ngold = self.tp[typ], self.n_pred[typ], self.n_gold[typ]
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    @property
    def types(self) -> list[str]:
        return sorted(set(self.n_gold) | set(self.n_pred))

    def as_dict(self) -> dict[str, dict[str, float]]:
        out = {}
        for t in [*self.types, None]:
            p, r, f = self.prf(t)
            key = t or "micro"
            n = self.n_gold[t] if t else sum(self.n_gold.values())
            out[key] = {
                "precision": round(100 * p, 2),
                "recall": round(100 * r, 2),
                "f1": round(100 * f, 2),
                "support": n,
            }
        out["micro"]["accuracy"] = round(100 * self.correct_tokens / self.tokens, 2) if self.tokens else 0.0
        return out

    def table(self) -> str:
        lines = [f"{'type':<8}{'prec':>8}{'rec':>8}{'F1':>8}{'gold':>8}{'pred':>8}"]
        for t in [*self.types, None]:
            p, r, f = self.prf(t)
            ng = self.n_gold[t] if t else sum(self.n_gold.values())
            npd = self.n_pred[t] if t else sum(self.n_pred.values())
            lines.append(f"{t or 'micro':<8}{100 * p:8.2f}{100 * r:8.2f}{100 * f:8.2f}{ng:8d}{npd:8d}")
        return "\n".join(lines)


def score(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> Scores:
    """Entity-level scores of predicted label sequences against gold ones (same number of tokens per sentence)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    s = Scores()
    for g, p in zip(gold, pred, strict=True):
        if len(g) != len(p):
            raise ValueError(f"sentence length differs: gold {len(g)}, predicted {len(p)}")
        gc, pc = chunks(g), chunks(p)
        for t, _, _ in gc:
            s.n_gold[t] += 1
        for t, _, _ in pc:
            s.n_pred[t] += 1
        for t, _, _ in set(gc) & set(pc):
            s.tp[t] += 1
        s.tokens += len(g)
        s.correct_tokens += sum(a == b for a, b in zip(g, p, strict=True))
    return s
