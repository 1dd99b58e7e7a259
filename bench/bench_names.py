"""Latin names of unknown people: how close marsad's spellings come to the gold's canonical English names, and
how fast (marsad.entities.names).

    python bench/bench_names.py [--gold ../shared/gold]

The names are the gold person entities of train/ and dev/ (evaluation only: nothing here is learnt from them)
that the pipeline would transliterate: two or more words, not in marsad's actor registry, with as many words as
their English name (after عبد X is joined), so that words can be compared one to one. Scores: whole names
exactly right, words exactly right, mean character similarity (difflib ratio), all case-insensitive; and the CPU
time per new name (no cache). Rows: the rules alone; the default path (the romanizer's dictionary of attested
spellings, then the rules); and, for comparison, the romanizer's own full path (dictionary, ONNX model, its rules),
when ``arabic-name-romanizer`` is installed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from marsad.entities.names import _ATTESTED, _token_attested, romanize
from marsad.entities.registry import load_registry


def gold_names(gold: Path) -> list[tuple[str, str]]:
    reg = load_registry()
    pairs: set[tuple[str, str]] = set()
    for f in sorted([*gold.glob("train/*.json"), *gold.glob("dev/*.json")]):
        doc = json.loads(f.read_text(encoding="utf-8"))
        for e in doc.get("entities") or []:
            if e.get("type") != "PER":
                continue
            forms = [m for m in e.get("mentions") or [] if len(m.split()) >= 2 and not m.isascii()]
            if not forms:
                continue
            ar = max(forms, key=len)
            en = str(e.get("name") or "").split("(")[0].strip()
            if reg.lookup(tuple(ar.split())) or len(en.split()) != len(ar.replace("عبد ", "عبد").split()):
                continue
            pairs.add((ar, en))
    return sorted(pairs)


def score(pairs: list[tuple[str, str]], fn: Callable[[str], str], clear: Callable[[], None]) -> dict[str, float]:
    clear()
    exact = words = n_words = 0
    sim = 0.0
    t0 = time.process_time()
    outs = [fn(ar) for ar, _ in pairs]
    cpu = time.process_time() - t0
    for out, (_, en) in zip(outs, pairs, strict=True):
        o, e = out.lower(), en.lower()
        exact += o == e
        sim += difflib.SequenceMatcher(None, o, e).ratio()
        for a, b in zip(o.split(), e.split(), strict=False):
            words += a == b
            n_words += 1
    n = len(pairs)
    return {"exact": exact / n, "words": words / max(1, n_words), "charsim": sim / n, "ms_per_name": 1000 * cpu / n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "gold"
    ap.add_argument("--gold", type=Path, default=default)
    args = ap.parse_args()
    if not (args.gold / "train").is_dir():
        sys.exit(f"no gold articles under {args.gold} (set MARSAD_SHARED or pass --gold)")
    pairs = gold_names(args.gold)
    print(f"{len(pairs)} gold person names not in the registry ({args.gold})")

    def clear() -> None:
        _token_attested.cache_clear()

    rows = [("rules alone", lambda a: romanize(a, rules_only=True))]
    if _ATTESTED.available():
        rows.append(("attested spellings, then rules (default)", romanize))
        from arabic_name_romanizer import Transliterator

        full = Transliterator()
        rows.append(("arabic-name-romanizer, full (dictionary, model, its rules)", lambda a: str(full.transliterate(a))))
    else:
        print("arabic-name-romanizer is not installed (pip install 'marsad[names]'): the rules alone")
    for label, fn in rows:
        r = score(pairs, fn, clear)
        print(f"{label:58s} exact {r['exact']:.3f}  words {r['words']:.3f}  charsim {r['charsim']:.3f}  "
              f"{r['ms_per_name']:.2f} ms CPU per new name")
    print("command: python bench/bench_names.py")


if __name__ == "__main__":
    main()
