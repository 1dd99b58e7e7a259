"""Entities on gold articles nobody tuned on: K-fold cross-validation by document over a gold folder.

Each fold's CRF tagger is trained on ANERcorp train + the projected gold mentions of the other folds' articles
(:mod:`marsad.entities.ner.gold`), the whole pipeline runs over the held-out articles with it, and the pooled
records are scored with ``../shared/eval/score.py`` (entities F1, entity country accuracy, and the rest).

    python bench/ner_gold_cv.py ../shared/gold/train --cv 5            # ~5 CRF trainings, minutes each on 2 cores
    python bench/ner_gold_cv.py ../shared/gold/train --cv 5 --out /tmp/cv.jsonl --work-dir /tmp/ner-cv
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _score_py(gold_dir: Path) -> Path:
    cands = []
    if os.environ.get("MARSAD_SHARED"):
        cands.append(Path(os.environ["MARSAD_SHARED"]) / "eval" / "score.py")
    cands += [gold_dir.resolve().parent.parent / "eval" / "score.py", Path("../shared/eval/score.py")]
    for c in cands:
        if c.is_file():
            return c
    sys.exit("score.py not found (set MARSAD_SHARED to the shared folder that holds eval/score.py)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dir", type=Path)
    ap.add_argument("--cv", type=int, default=5, help="number of folds (by document)")
    ap.add_argument("--work-dir", type=Path, default=None, help="where fold models go (default: a temp folder)")
    ap.add_argument("--out", type=Path, default=None, help="also keep the pooled system records (JSONL) here")
    ap.add_argument("--gold-weight", type=int, default=None, help="times each gold sentence is repeated in training")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse fold taggers already in --work-dir (to measure a change of the stage only)")
    args = ap.parse_args()

    from marsad.entities.ner.gold import entities_cv

    score_py = _score_py(args.gold_dir)
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work_dir or Path(tmp)
        recs = entities_cv(
            args.gold_dir, k=args.cv, work_dir=work, gold_weight=args.gold_weight,
            reuse=args.reuse, log=lambda m: print(m, file=sys.stderr, flush=True),
        )
        out = args.out or Path(tmp) / "cv.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{args.cv}-fold CV by document over {args.gold_dir} ({len(recs)} articles, "
              f"{time.time() - t0:.0f}s):", flush=True)
        subprocess.run([sys.executable, str(score_py), str(args.gold_dir), str(out)], check=True)


if __name__ == "__main__":
    main()
