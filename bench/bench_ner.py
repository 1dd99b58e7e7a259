"""NER tagging speed on CPU: tokens per second per core, feature extraction included (median of several runs).

    python bench/bench_ner.py [--runs 5] [--sentences 2000] [--backend neural|crf]

Input: sentences of the ANERcorp CAMeL test split (tokens only) when ../shared is available, else a synthetic
sentence list. Runs in one thread, so tokens/s is per core. Sentences are tagged 20 per call (one call = one
document, so name propagation is included). The first pass warms the per-word feature cache the way
a long-running pipeline would; a cold pass (fresh tagger, empty cache) is reported as well.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

# One thread for numpy's BLAS too (the neural backend's matrix products), so that tokens/s is per core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sentences", type=int, default=925)
    ap.add_argument("--backend", default=None, help="crf or neural (default: marsad's default backend)")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()

    from marsad.entities.ner import DEFAULT_BACKEND, DEFAULT_CRF_MODEL, DEFAULT_NEURAL_MODEL, load_tagger
    from marsad.entities.ner.crf import CRFTagger
    from marsad.entities.ner.neural import NeuralTagger

    args.backend = args.backend or DEFAULT_BACKEND

    try:
        from marsad.entities.ner.corpus import anercorp_path, read_conll

        sents = [list(s.tokens) for s in read_conll(anercorp_path("test"))][: args.sentences]
        source = "ANERcorp CAMeL test"
    except Exception:  # no shared data: a synthetic workload
        base = (
            "وقال وزير الخارجية الروسي سيرغي لافروف في مؤتمر صحفي بموسكو إن بلاده ستواصل الحوار مع واشنطن ."
        )
        sents = [base.split()] * args.sentences
        source = "synthetic"
    n_tok = sum(len(s) for s in sents)
    # Tag article-sized calls (20 sentences), as the entity stage does: one call = one document.
    docs = [sents[i : i + 20] for i in range(0, len(sents), 20)]

    def run(t) -> None:
        for d in docs:
            t.tag(d)

    if args.backend in ("crf", "neural") and args.model is None:
        t0 = time.perf_counter()
        cold = CRFTagger(DEFAULT_CRF_MODEL) if args.backend == "crf" else NeuralTagger(DEFAULT_NEURAL_MODEL)
        load_s = time.perf_counter() - t0
        c0 = time.process_time()
        run(cold)
        cold_rate = n_tok / (time.process_time() - c0)
        print(
            f"load: {load_s:.2f}s; cold pass (empty feature cache): {cold_rate:,.0f} tokens/s per core (CPU time)"
        )

    tagger = load_tagger(args.backend, args.model)
    run(tagger)  # warm
    rates, cpu_rates = [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        run(tagger)
        rates.append(n_tok / (time.perf_counter() - t0))
        cpu_rates.append(n_tok / (time.process_time() - c0))
    print(f"{source}: {len(sents)} sentences, {n_tok:,} tokens, backend={args.backend}")
    print(
        f"median {statistics.median(rates):,.0f} tokens/s wall, one thread "
        f"(runs: {', '.join(f'{r:,.0f}' for r in rates)})"
    )
    # CPU time is the per-core figure that survives a busy machine (wall time also counts other processes' turns).
    print(f"median {statistics.median(cpu_rates):,.0f} tokens/s per core by CPU time")
    print(f"reproduce: python bench/bench_ner.py --runs {args.runs} --backend {args.backend}")


if __name__ == "__main__":
    main()
