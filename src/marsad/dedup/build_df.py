"""Build the fixed document-frequency table ``data/df.tsv.gz`` used to weight terms for story similarity.

Usage: ``python -m marsad.dedup.build_df ../shared/data/unlabelled [--max-terms 40000]``

It reads the unlabelled news (SaudiNewsNet daily zips and the ANT 2018 JSONL; the evaluation days and the ANT
politics sample are not in that folder) and keeps, for the most frequent stems, how many articles contain each.
Only counts are kept, no text. Not run at install time: the table is package data, rebuilt by hand.
"""

from __future__ import annotations

import argparse
import gzip
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from marsad.dedup.text import stem, words


def iter_texts(folder: Path) -> Iterator[str]:
    for p in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(p) as z:
            for name in z.namelist():
                if name.endswith(".json"):
                    for d in json.loads(z.read(name).decode("utf-8")):
                        yield f"{d.get('title') or ''}\n{d.get('content') or ''}"
    for p in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                yield f"{d.get('title') or ''}\n{d.get('text') or ''}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--max-terms", type=int, default=40_000)
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / "df.tsv.gz")
    args = ap.parse_args()
    df: Counter[str] = Counter()
    n = 0
    for text in iter_texts(args.folder):
        ws = words(text)
        if not ws:
            continue
        n += 1
        df.update({stem(w) for w in ws if len(w) >= 2 and not w.isdigit()})
    kept = [(t, c) for t, c in df.most_common(args.max_terms) if c >= args.min_df]
    with gzip.GzipFile(args.out, "wb", mtime=0) as raw:  # mtime=0: rebuilding gives the same bytes
        raw.write(f"#docs\t{n}\n".encode())
        raw.write("".join(f"{t}\t{c}\n" for t, c in sorted(kept)).encode("utf-8"))
    print(f"{n} documents, {len(df)} stems, kept {len(kept)} -> {args.out}")


if __name__ == "__main__":
    main()
