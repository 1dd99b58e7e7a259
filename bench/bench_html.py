"""Reading HTML, side by side with trafilatura: whole processes over the Arabic test pages.

    python bench/bench_html.py                      # the 12 pages of $MARSAD_SHARED/data/html-arabic, 5 rounds
    python bench/bench_html.py --rounds 9 --digest  # also print each page's date and a hash of its body

Variants, each a fresh process run in turn within every round (start-up and imports included, as a user pays them):

* ``marsad``: ``marsad process --upto clean`` (the HTML reader: trafilatura for the main text, htmldate and an
  Arabic dateline for the date; then the cleaner);
* ``trafilatura``: ``trafilatura.extract`` on each page with its defaults (main text only);
* ``trafilatura+metadata``: the same with ``with_metadata=True`` (its own date search included).

The figure is the median wall time over rounds; ratios are to ``trafilatura`` (issue 20: marsad ≤ 1.5×).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TRAFILATURA = """
import gzip, sys
import trafilatura
meta = sys.argv[1] == "1"
for p in sys.argv[2:]:
    data = open(p, "rb").read()
    if p.endswith(".gz"):
        data = gzip.decompress(data)
    trafilatura.extract(data, with_metadata=meta)
"""


def pages() -> list[str]:
    shared = Path(os.environ.get("MARSAD_SHARED") or REPO.parent / "shared")
    folder = shared / "data" / "html-arabic"
    found = sorted(str(p) for p in folder.glob("*/*") if p.name.endswith((".html", ".htm", ".html.gz")))
    if not found:
        sys.exit(f"needs the pages under {folder} (set MARSAD_SHARED)")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--digest", action="store_true", help="print each page's date and a hash of its body")
    a = ap.parse_args()
    files = pages()
    variants = {
        "marsad": [sys.executable, "-m", "marsad", "process", "--upto", "clean", "--format", "jsonl", *files],
        "trafilatura": [sys.executable, "-c", TRAFILATURA, "0", *files],
        "trafilatura+metadata": [sys.executable, "-c", TRAFILATURA, "1", *files],
    }
    times: dict[str, list[float]] = {k: [] for k in variants}
    out = ""
    for _ in range(a.rounds):
        for name, cmd in variants.items():
            t0 = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            times[name].append(time.perf_counter() - t0)
            if done.returncode != 0:
                sys.exit(f"{name} failed: {done.stderr.strip()[-500:]}")
            if name == "marsad":
                out = done.stdout
    ref = statistics.median(times["trafilatura"])
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{len(files)} pages, median wall seconds of {a.rounds} interleaved rounds (load average {load})")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:<22} {med:6.2f} s   ratio to trafilatura {med / ref:5.2f}")
    if a.digest:
        for line in out.splitlines():
            d = json.loads(line)
            body = hashlib.sha1(d.get("body", "").encode("utf-8")).hexdigest()[:12]
            name = Path(d.get("source", "")).name
            print(
                f"  {name:<34} {d.get('published')}  {d.get('meta', {}).get('date_from', '-'):<10} body {body}"
            )
    print(f"command: python bench/bench_html.py --rounds {a.rounds}" + (" --digest" if a.digest else ""))


if __name__ == "__main__":
    main()
