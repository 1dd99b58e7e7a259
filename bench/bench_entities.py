#!/usr/bin/env python3
"""Entities stage cost per article (NER + registry + roles + coref), median of repeated runs.

Usage: python bench/bench_entities.py [--shared ../shared] [--repeat 7]
Prints ms/article for the stage with the shipped CRF NER and with the registry alone, over the gold dev articles
(texts only) already cleaned and split into sentences.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from marsad.data import Article
from marsad.entities.stage import build_stage
from marsad.stages import default_pipeline


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    texts = [
        json.loads(p.read_text(encoding="utf-8"))["text"]
        for p in sorted((args.shared / "gold" / "dev").glob("*.json"))
    ]
    pre = default_pipeline(upto="text-layer")
    arts = [a for a in (pre.process(Article.new(t)) for t in texts) if isinstance(a, Article)]
    chars = sum(len(a.text) for a in arts)
    for label, kw in (("crf-ner+registry", {}), ("registry-only", {"use_ner": False})):
        stage = build_stage(**kw)
        stage(arts[0])  # load models outside the timing
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for a in arts:
                stage(a)
            runs.append((time.perf_counter() - t0) / len(arts))
        med = statistics.median(runs)
        print(
            f"{label:18s} {med * 1000:7.2f} ms/article  ({len(arts)} articles, {chars / len(arts):.0f} chars avg, "
            f"{1 / med:6.0f} articles/s on one core)"
        )
    print("reproduce: python bench/bench_entities.py --shared ../shared")


if __name__ == "__main__":
    main()
