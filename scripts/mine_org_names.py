#!/usr/bin/env python3
"""Rewrite entities/data/lexicons/org_names.tsv from ../shared/data/unlabelled (marsad.entities.org_mining)."""

import argparse
from pathlib import Path

from marsad.entities.org_mining import OUT, mine, write

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared folder (data/unlabelled)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    gold = args.shared / "gold"  # the evaluation articles do not count towards a name
    write(mine(args.shared / "data" / "unlabelled", gold_root=gold if gold.is_dir() else None), args.out)
