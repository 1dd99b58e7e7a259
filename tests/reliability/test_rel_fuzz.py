"""Coverage-guided fuzzing of every reader with atheris for a bounded time (20 s) in a subprocess.

Seeds are one valid input per reader; libFuzzer mutates them. The harness (fuzz_readers.py, guarded mode) fails on
an exception escaping read_paths' guard, a file that vanishes, a hang over 20 s or memory over 2 GB."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from rel_cases import SENT, TITLE, _snn, _zip, html_page, jsonl_line, page, warc_bytes

HERE = Path(__file__).resolve().parent
FUZZ_SECONDS = int(os.environ.get("MARSAD_FUZZ_SECONDS", "20"))


def _seeds(d: Path) -> None:
    from marsad.readers import READERS

    names = sorted(READERS)
    feed = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title><item><title>{TITLE}</title>"
            f"<description>{SENT}</description><pubDate>Tue, 10 Mar 2020 10:00:00 GMT</pubDate></item></channel></rss>")
    ant = f"<DOC>\n<DOCNO>AL-1</DOCNO>\n<URL>http://x</URL>\n<TITLE>{TITLE}</TITLE>\n<TEXT>\n{SENT}\n</TEXT>\n</DOC>\n"
    seeds = {"text": page(0).encode(), "jsonl": jsonl_line(0) + b"\n" + jsonl_line(1), "html": html_page(0),
             "warc": warc_bytes(2)[0], "feed": feed.encode(), "ant": ant.encode(),
             "saudinewsnet": _zip([("2015-08-10.json", _snn(2))])}
    for name, data in seeds.items():
        if name in names:
            (d / name).write_bytes(bytes([names.index(name)]) + data)


def test_fuzz_readers_with_atheris(tmp_path):
    pytest.importorskip("atheris", reason="fuzzing needs atheris (pip install atheris); skipped, not passed")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _seeds(corpus)
    # libFuzzer reads its peak RSS from getrusage, which a forked child inherits from its parent: a test process
    # that already holds 2 GB of models would make any reader "blow up". The 2 GB budget is on top of that.
    inherited_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    r = subprocess.run(
        [sys.executable, str(HERE / "fuzz_readers.py"), f"-max_total_time={FUZZ_SECONDS}", "-timeout=20",
         f"-rss_limit_mb={inherited_mb + 2048}", "-malloc_limit_mb=2048", f"-artifact_prefix={tmp_path}/",
         "-print_final_stats=1", str(corpus)],
        capture_output=True, text=True, timeout=FUZZ_SECONDS + 120, cwd=tmp_path,
        # the harness writes its inputs under a mkdtemp that libFuzzer's exit never removes: keep it in tmp_path
        env=os.environ | {"MARSAD_FUZZ_MODE": "guarded", "TMPDIR": str(tmp_path)},
    )
    tail = (r.stdout + r.stderr)[-4000:]
    crashes = sorted(p.name for p in tmp_path.glob("crash-*")) + sorted(p.name for p in tmp_path.glob("timeout-*"))
    assert r.returncode == 0 and not crashes, f"fuzzing found {crashes}:\n{tail}"
    runs = [ln for ln in tail.splitlines() if "number_of_executed_units" in ln]
    assert runs and int(runs[-1].split(":")[-1]) > 50, tail  # it really ran
