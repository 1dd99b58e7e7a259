"""Length scaling: per-stage cost per word on one long document (concatenated real articles) at 5k/20k/80k words.

    python bench/bench_length.py                      # 5k / 20k / 80k words, 3 interleaved rounds
    python bench/bench_length.py --sizes 5000 80000 --rounds 5 --stages quotes events

Real articles from the ANT 2018 JSONL (``$MARSAD_SHARED/data/unlabelled/ant-all-2018.jsonl.gz``), drawn in a fixed
random order (every size samples the same pool, see :func:`documents`), are joined with blank lines; every stage of the default pipeline runs on the output of the stages
before it and is timed on its own. Sizes run interleaved (round 1: 5k, 20k, 80k; round 2: ...), so a burst of
load from other tenants hits all sizes alike; the figure per stage is the median over rounds, in µs of CPU time
(``time.process_time``: on a shared machine wall time mostly measures the neighbours) per word, and ``ratio`` is
the largest size's per-word cost over the smallest's (issue 20: ≤ 1.2 for every stage). ``--wall`` times wall clock.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from marsad.data import Article, Rejection
from marsad.stages import build_stages
from marsad.threads import one_math_thread

REPO = Path(__file__).resolve().parents[1]


def source() -> Path:
    shared = Path(os.environ.get("MARSAD_SHARED") or REPO.parent / "shared")
    p = shared / "data" / "unlabelled" / "ant-all-2018.jsonl.gz"
    if not p.exists():
        sys.exit(f"needs {p} (set MARSAD_SHARED)")
    return p


def long_text(n_words: int, *, skip: int = 0) -> str:
    """Bodies of the articles of the ANT file (from record ``skip`` on) joined with blank lines until n_words.

    Each article goes through the cleaner first and only its body is kept: a raw concatenation would let the
    cleaner keep one article-like block as the body and mark repeated site furniture as boilerplate, so that the
    later stages would see a fraction of the words, a different fraction at each size.
    """
    clean = build_stages(upto="clean")[-1]
    parts: list[str] = []
    count = 0
    with gzip.open(source(), "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i < skip:
                continue
            art = clean(Article.new(json.loads(line).get("text") or "", id=f"ant{i}", source="bench"))
            body = art.body.strip() if isinstance(art, Article) else ""
            if not body:
                continue
            parts.append(body)
            count += len(body.split())
            if count >= n_words:
                break
    return "\n\n".join(parts)


def documents(sizes: list[int], *, seed: int = 0) -> dict[int, str]:
    """One document per size, all drawn from the same pool so that they mix the same kinds of news.

    The pool is the cleaned bodies of ANT articles in a fixed random order, up to the largest size; the document of
    size n takes every k-th body of the pool (k = pool words / n, offsets 0, 1, … until n words). The file is sorted
    by outlet and section, so prefixes of it would compare culture news at 5k words with politics at 80k: a
    difference in content, not in length.
    """
    with gzip.open(source(), "rt", encoding="utf-8") as fh:
        lines = fh.readlines()
    order = list(range(len(lines)))
    random.Random(seed).shuffle(order)
    clean = build_stages(upto="clean")[-1]
    pool: list[str] = []
    total = 0
    for i in order:
        art = clean(Article.new(json.loads(lines[i]).get("text") or "", id=f"ant{i}", source="bench"))
        body = art.body.strip() if isinstance(art, Article) else ""
        if body:
            pool.append(body)
            total += len(body.split())
            if total >= max(sizes):
                break
    out = {}
    for n in sizes:
        k = max(1, round(total / n))
        parts, count = [], 0
        for j in sorted(range(len(pool)), key=lambda j: (j % k, j)):
            parts.append(pool[j])
            count += len(pool[j].split())
            if count >= n:
                break
        out[n] = "\n\n".join(parts)
    return out


CLOCK = time.process_time


def run_stages(stages, text: str, name: str) -> tuple[dict[str, float], Article]:
    """Seconds per stage for one document (each stage reads the output of the ones before it)."""
    art: Article | Rejection = Article.new(text, id=name, source="bench")
    out: dict[str, float] = {}
    for st in stages:
        t0 = CLOCK()
        art = st(art)
        out[st.name] = CLOCK() - t0
        if isinstance(art, Rejection):
            sys.exit(f"stage {st.name} rejected the {name} document: {art.message()}")
    return out, art


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 80000], help="words per document")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--stages", nargs="*", default=None, help="report only these stages (all still run)")
    ap.add_argument("--ner-backend", default=None)
    ap.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    a = ap.parse_args()
    global CLOCK
    if a.wall:
        CLOCK = time.perf_counter
    one_math_thread()  # as the CLI does: CPU time of one BLAS thread is the work itself
    stages = build_stages(**({"ner_backend": a.ner_backend} if a.ner_backend else {}))
    sizes = sorted(a.sizes)
    texts = documents(sizes)
    words = {n: len(t.split()) for n, t in texts.items()}
    for n, t in texts.items():  # the cleaner must keep the whole document as body, or per-word costs mislead
        art = run_stages(stages[:1], t, "check")[1]
        if len(art.body.split()) < 0.98 * words[n]:
            sys.exit(f"the cleaner kept {len(art.body.split())} of {words[n]} words as body at size {n}")
    run_stages(stages, long_text(2000, skip=20000), "warm-up")  # imports, models, caches
    times: dict[int, dict[str, list[float]]] = {n: {} for n in sizes}
    for _ in range(a.rounds):
        for n in sizes:
            secs, _art = run_stages(stages, texts[n], f"len{n}")
            for k, v in secs.items():
                times[n].setdefault(k, []).append(v)
    names = [st.name for st in stages if a.stages is None or st.name in a.stages]
    lo, hi = sizes[0], sizes[-1]
    head = f"{'stage':<12}" + "".join(f"{words[n]:>10,}w" for n in sizes) + f"{'ratio':>9}"
    clock = "wall" if a.wall else "CPU"
    print(
        f"{clock} µs per word, median of {a.rounds} interleaved rounds; ratio = per-word cost at {hi:,} / {lo:,} words"
    )
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(head)
    total = {n: 0.0 for n in sizes}
    worst = 0.0
    for name in names + ["total"]:
        if name == "total":
            per = {n: total[n] for n in sizes}
        else:
            per = {n: statistics.median(times[n][name]) / words[n] * 1e6 for n in sizes}
            for n in sizes:
                total[n] += per[n]
        ratio = per[hi] / per[lo] if per[lo] > 0 else float("nan")
        if name != "total":
            worst = max(worst, ratio)
        print(f"{name:<12}" + "".join(f"{per[n]:>11.2f}" for n in sizes) + f"{ratio:>9.2f}")
    print(f"worst stage ratio {worst:.2f} (target ≤ 1.2)")
    print(
        "command: python bench/bench_length.py --sizes "
        + " ".join(map(str, sizes))
        + f" --rounds {a.rounds}"
        + (" --wall" if a.wall else "")
    )


if __name__ == "__main__":
    main()
