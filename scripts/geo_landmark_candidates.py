"""List the landmark names Arabic news uses most: a landmark head noun (مسجد، قصر، قاعدة، مطار، سد، جسر …) and the
one or two words after it, by the number of unlabelled ANT articles (outside the gold sets) that contain them.

The landmark rows of ``src/marsad/geo/data/places.tsv`` are the single, real places of this list found in at least
10 articles that the place index lacked (channels, universities, sports grounds, generic phrases and the airports of
towns, which ``مطار`` + a town already reaches, are left out), so the table follows what the news names, not what a
gold article named. Usage::

    python scripts/geo_landmark_candidates.py [--min 10] [SHARED_DIR]
"""

from __future__ import annotations

import argparse
import os
import re
from collections import Counter
from pathlib import Path

from marsad.gold.data import non_gold_records
from marsad.lang.ar.normalize import normalize

HEADS = ("المسجد", "مسجد", "قاعدة", "قصر", "سد", "قناة", "بحر", "جسر", "معبر", "مطار", "ساحة", "ميدان", "جزيرة",
         "جزر", "جبل", "سجن", "معتقل", "كنيسة", "باب", "حائط", "برج", "مضيق", "صحراء", "نهر", "بحيرة", "مخيم",
         "حقل", "منتجع", "مستوطنة", "كهف", "وادي", "منشأة", "مفاعل", "البيت", "بيت", "معسكر")  # fmt: skip
_WORD = re.compile(r"[\u0621-\u064a]+")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("shared", nargs="?", default=os.environ.get("MARSAD_SHARED", "../shared"))
    ap.add_argument("--min", type=int, default=10, help="fewest articles a name must occur in (default 10)")
    args = ap.parse_args()
    shared = Path(args.shared)
    heads = {normalize(h) for h in HEADS}
    heads |= {c + h for h in heads for c in ("و", "ب", "ل")}
    df: Counter[str] = Counter()
    for rec in non_gold_records(shared / "data" / "unlabelled" / "ant-all-2018.jsonl.gz", shared / "gold"):
        toks = _WORD.findall(normalize(rec.get("text") or ""))
        seen = set()
        for i, t in enumerate(toks[:-1]):
            if t in heads:
                seen.add(" ".join(toks[i : i + 2]))
                seen.add(" ".join(toks[i : i + 3]))
        df.update(seen)
    for name, n in sorted(df.items(), key=lambda x: (-x[1], x[0])):
        if n >= args.min:
            print(f"{n}\t{name}")


if __name__ == "__main__":
    main()
