"""The HTML reader searches for a page's date once (issue 20): trafilatura's metadata pass runs htmldate in quick
mode, so a page whose date is in its markup or in an Arabic dateline is read without loading dateparser (only
marsad's own last resort, htmldate's extensive search, may load it), and the date is still found."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from marsad.readers.html import extract_page
page = extract_page(open(sys.argv[1], encoding="utf-8", errors="replace").read(), None)
print(json.dumps({"published": page["published"], "how": page["date_from"], "dateparser": "dateparser" in sys.modules}))
"""


def test_a_dated_page_is_read_without_dateparser(html_dir: Path, gold_dates: dict[str, str]) -> None:
    checked = 0
    for name, gold in sorted(gold_dates.items()):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(html_dir / "htmldate" / name)],
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(done.stdout.strip().splitlines()[-1])
        if got["how"] not in ("htmldate", "dateline"):
            continue  # dated by the extensive search, which may load dateparser
        assert got["published"] == gold, name
        assert not got["dateparser"], f"{name}: dateparser was loaded, yet the date came from {got['how']}"
        checked += 1
    assert checked >= 5
