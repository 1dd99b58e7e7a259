"""atheris harness: coverage-guided fuzzing of every reader.

The first byte picks the reader, the rest is the file. Two modes (env MARSAD_FUZZ_MODE):

- ``guarded`` (default, what CI runs): through ``read_paths``' per-file guard, as every command reads. Output must
  be Articles and Rejections, at least one per file, with no exception, hang (-timeout) or memory blow-up
  (-rss_limit_mb).
- ``strict``: each reader called directly; any exception is a reader bug (the guard would turn it into an
  E_READER rejection that loses the rest of that file).
- ``collect``: like strict, but an exception is appended to $MARSAD_FUZZ_LOG (reader, type, where) and fuzzing
  goes on, so one run lists every distinct reader bug it meets (bench/reliability_table.py uses this).

    python tests/reliability/fuzz_readers.py -max_total_time=300 -artifact_prefix=/tmp/fuzz-
    MARSAD_FUZZ_MODE=strict python tests/reliability/fuzz_readers.py -max_total_time=60
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["marsad"]):
    from marsad.data import Article, Rejection
    from marsad.readers import READERS, guarded

MODE = os.environ.get("MARSAD_FUZZ_MODE", "guarded")
STRICT = MODE in ("strict", "collect")

NAMES = sorted(READERS)
SUFFIX = {"text": ".txt", "jsonl": ".jsonl", "html": ".html", "warc": ".warc.gz", "feed": ".rss", "ant": ".txt",
          "saudinewsnet": ".zip"}
# libFuzzer ends the process from C, so no Python exit hook removes this folder: callers that fuzz often (the
# test, bench/reliability_table.py) point TMPDIR at a folder of their own
DIR = tempfile.mkdtemp(prefix="marsad-fuzz-")


def one_input(data: bytes) -> None:
    if MODE != "collect":
        return _one(data)
    try:
        _one(data)
    except Exception as e:  # noqa: BLE001 - collect mode records every reader exception
        import traceback

        tb = traceback.extract_tb(e.__traceback__)
        frame = next((f for f in reversed(tb) if "/marsad/" in f.filename), tb[-1])
        where = f"{os.path.basename(frame.filename)}:{frame.lineno}"
        with open(os.environ.get("MARSAD_FUZZ_LOG", "fuzz-findings.txt"), "a") as f:
            f.write(f"{NAMES[data[0] % len(NAMES)]}\t{type(e).__name__}\t{where}\t{str(e)[:100]!r}\n")


def _one(data: bytes) -> None:
    if not data:
        return
    fmt = NAMES[data[0] % len(NAMES)]
    path = os.path.join(DIR, "in" + SUFFIX.get(fmt, ".bin"))
    with open(path, "wb") as f:
        f.write(data[1:])
    from pathlib import Path

    records = READERS[fmt][1](Path(path))
    n = 0
    for it in records if STRICT else guarded(records, path):
        n += 1
        if not isinstance(it, Article | Rejection):
            raise TypeError(f"reader {fmt} yielded {type(it).__name__}")
        if isinstance(it, Article) and not isinstance(it.text, str):
            raise TypeError(f"reader {fmt} made an article whose text is {type(it.text).__name__}")
    if not n and not STRICT:
        raise AssertionError(f"reader {fmt}: a file vanished without an article or a rejection")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
