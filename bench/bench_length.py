"""Length scaling: per-stage cost per word of the same text cut into documents of 5k, 20k and 80k words.

    python bench/bench_length.py                      # 5k / 20k / 80k words, 3 interleaved rounds
    python bench/bench_length.py --sizes 5000 80000 --rounds 5 --stages quotes events

About 80,000 words of real articles from the ANT 2018 JSONL (``$MARSAD_SHARED/data/unlabelled/ant-all-2018.jsonl.gz``,
cleaned bodies in a fixed random order, joined with blank lines) are cut into 16 documents of 5k words, 4 of 20k
and 1 of 80k (:func:`documents`); every stage of the default pipeline runs on the output of the stages before it
and is timed on its own. Each size processes the same words, so the per-word costs differ by document length
only. Sizes run interleaved (round 1: 5k, 20k, 80k; round 2: …), so a burst of load from other tenants hits all
sizes alike; the figure per stage is the median over rounds, in µs of CPU time per word (``time.process_time``:
on a shared machine wall time mostly measures the neighbours; ``--wall`` for wall clock), and ``ratio`` is the
per-word cost in the largest documents over the smallest (issue 20: ≤ 1.2 for every stage). ``--gc`` adds, under
each stage, the part of its time spent in Python's cyclic garbage collector (gc callbacks): a full collection
walks every live object, a long document included, so its passes can cost a stage more per word at 80k words
than at 5k (the quotes and events stages pause the collector for that reason: :mod:`marsad.gcpause`).
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


def documents(sizes: list[int], *, seed: int = 0) -> dict[int, list[str]]:
    """The same text cut into documents of each size: ``{size: [document, …]}``.

    The text is the cleaned bodies of ANT articles in a fixed random order, up to the largest size; for each size
    it is cut (between articles) into consecutive documents of about that many words. Every size so processes the
    same words, and a difference in cost per word is the length of the documents, not what they say (per-word cost
    depends on how many names, quotes and events a text has; prefixes of the file, sorted by outlet and section,
    would compare culture news at 5k words with politics at 80k).
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
    out: dict[int, list[str]] = {}
    for n in sizes:
        docs: list[str] = []
        parts: list[str] = []
        count = 0
        for body in pool:
            parts.append(body)
            count += len(body.split())
            if count >= n * 0.97:
                docs.append("\n\n".join(parts))
                parts, count = [], 0
        if parts:  # the rest joins the last document
            docs[-1:] = ["\n\n".join([*docs[-1:], *parts])]
        out[n] = docs
    return out


CLOCK = time.process_time
GC_SECONDS = [0.0, 0.0]  # clock time spent in cyclic garbage collections so far, start of the current one


def _gc_clock(phase: str, _info: dict) -> None:
    if phase == "start":
        GC_SECONDS[1] = CLOCK()
    else:
        GC_SECONDS[0] += CLOCK() - GC_SECONDS[1]


def run_stages(stages, text: str, name: str) -> tuple[dict[str, float], Article]:
    """Seconds per stage for one document (each stage reads the output of the ones before it); with ``--gc``, also
    ``"gc:" + stage``: the seconds of cyclic garbage collection inside the stage (part of the stage's own)."""
    art: Article | Rejection = Article.new(text, id=name, source="bench")
    out: dict[str, float] = {}
    for st in stages:
        g0 = GC_SECONDS[0]
        t0 = CLOCK()
        art = st(art)
        out[st.name] = CLOCK() - t0
        out["gc:" + st.name] = GC_SECONDS[0] - g0
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
    ap.add_argument(
        "--gc", action="store_true",
        help="also show, per stage, the part of its time spent in Python's cyclic garbage collector",
    )  # fmt: skip
    a = ap.parse_args()
    global CLOCK
    if a.wall:
        CLOCK = time.perf_counter
    if a.gc:
        import gc

        gc.callbacks.append(_gc_clock)
    one_math_thread()  # as the CLI does: CPU time of one BLAS thread is the work itself
    stages = build_stages(**({"ner_backend": a.ner_backend} if a.ner_backend else {}))
    sizes = sorted(a.sizes)
    docs = documents(sizes)
    words = sum(len(t.split()) for t in docs[sizes[0]])
    for t in docs[sizes[-1]]:  # the cleaner must keep the whole document as body, or per-word costs mislead
        art = run_stages(stages[:1], t, "check")[1]
        if len(art.body.split()) < 0.98 * len(t.split()):
            sys.exit(
                f"the cleaner kept {len(art.body.split())} of {len(t.split())} words of a document as body"
            )
    run_stages(stages, long_text(2000, skip=20000), "warm-up")  # imports, models, caches
    times: dict[int, dict[str, list[float]]] = {n: {} for n in sizes}
    for _ in range(a.rounds):
        for n in sizes:
            total: dict[str, float] = {}
            for k, t in enumerate(docs[n]):
                secs, _art = run_stages(stages, t, f"len{n}-{k}")
                for name, v in secs.items():
                    total[name] = total.get(name, 0.0) + v
            for name, v in total.items():
                times[n].setdefault(name, []).append(v)
    names = [st.name for st in stages if a.stages is None or st.name in a.stages]
    lo, hi = sizes[0], sizes[-1]
    head = f"{'stage':<12}" + "".join(
        f"{len(docs[n]):>4} × {round(words / len(docs[n])):>6,}w" for n in sizes
    )
    head += f"{'ratio':>9}"
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
            per = {n: statistics.median(times[n][name]) / words * 1e6 for n in sizes}
            for n in sizes:
                total[n] += per[n]
        ratio = per[hi] / per[lo] if per[lo] > 0 else float("nan")
        if name != "total":
            worst = max(worst, ratio)
        print(f"{name:<12}" + "".join(f"{per[n]:>14.2f}" for n in sizes) + f"{ratio:>9.2f}")
        if a.gc and name != "total":  # the collector's share of the stage (included in the row above)
            g = {n: statistics.median(times[n]["gc:" + name]) / words * 1e6 for n in sizes}
            if any(g.values()):
                print(f"{'  of it gc':<12}" + "".join(f"{g[n]:>14.2f}" for n in sizes))
    print(f"worst stage ratio {worst:.2f} (target ≤ 1.2)")
    print(
        "command: python bench/bench_length.py --sizes "
        + " ".join(map(str, sizes))
        + f" --rounds {a.rounds}"
        + (" --wall" if a.wall else "")
        + (" --gc" if a.gc else "")
    )


if __name__ == "__main__":
    main()
