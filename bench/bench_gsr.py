"""PROTEST and ASSAULT detection on the Arabic PLOVER gold-standard sentences (../shared/data/arabic-event-gsr).

Recall over the sentences all annotators accepted ("yes"); precision against those plus the rejected ones
("easy no", "difficult no"); "ambiguous" sentences are left out. Reproduce with:
    python bench/bench_gsr.py [../shared/data/arabic-event-gsr]
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
        print(f"{typ:8s} recall {r:.3f} ({tp}/{tp + fn})  precision {p:.3f} ({tp}/{tp + fp})  F1 {f1:.3f}  "
              f"false positives on 'difficult no' {hard_fp}")
    print(f"command: python bench/bench_gsr.py {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1].parent / "shared/data/arabic-event-gsr"))
