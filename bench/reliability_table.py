"""Generate docs/reliability.md: every kind of bad input tried, how many cases, and what came out.

    python bench/reliability_table.py                  # everything (~5 min on 2 cores): writes docs/reliability.md
    python bench/reliability_table.py --quick          # no big files, fewer generated cases, no crash tests
    python bench/reliability_table.py --out -          # print instead of writing

Rows come from five sources, all run here: the catalogue of broken files in tests/reliability/rel_cases.py
(ingested into a fresh SQLite store exactly as `marsad ingest` does), hypothesis-generated inputs for every reader
and for the pipeline, atheris fuzzing of the readers (guarded, as commands read; and collect mode, which lists
exceptions a reader let escape), the kill -9 / concurrency tests, and the break classes of issue 16 through the
real CLI and server (bench/reliability_breaks.py: HTML bombs, file names that are not UTF-8, special files, ids,
orphans and partial loads, user errors, disk full, Host headers and slow clients). An outcome is *stored*, *rejected* with its
codes, or a *clear error*; a CRASH or a SILENT DROP (an input that came out neither stored nor rejected) is a bug.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REL = REPO / "tests" / "reliability"
sys.path.insert(0, str(REL))
sys.path.insert(0, str(REPO / "bench"))

from rel_cases import KNOWN_BUGS, Outcome, catalogue, run_case  # noqa: E402


def catalogue_rows(tmp: Path, *, big: bool) -> list[dict]:
    rows = []
    for i, case in enumerate(catalogue(big=big)):
        t = time.perf_counter()
        out = run_case(case, tmp / f"case{i}")
        shutil.rmtree(tmp / f"case{i}", ignore_errors=True)
        rows.append({"kind": case.kind, "name": case.name, "inputs": case.records, "out": out,
                     "seconds": time.perf_counter() - t, "known": KNOWN_BUGS.get(case.name)})
        print(f"  {case.kind}: {case.name}: {out.verdict()} ({out.detail()})", file=sys.stderr)
    return rows


def generated_rows(n: int) -> list[dict]:
    """Hypothesis-generated inputs: random bytes and mixed-script text as each reader's file; text through the
    pipeline. Outcomes are counted, not asserted (the tests assert)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from test_rel_properties import _snn_zip, any_text, arabic_mix, json_values

    from marsad.data import Article, Rejection
    from marsad.readers import READERS, read_paths
    from marsad.stages import default_pipeline

    cfg = settings(max_examples=n, deadline=None, database=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))
    rows = []
    suffix = {"text": ".txt", "jsonl": ".jsonl", "html": ".html", "warc": ".warc.gz", "feed": ".rss", "ant": ".txt",
              "saudinewsnet": ".zip"}

    def reader_row(kind: str, name: str, strategy, fmt: str, wrap=lambda b: b, records=lambda _: 1,  # noqa: ANN001
                   known: str | None = None) -> dict:
        """``records(obj)``: inputs the generated file holds (1 for a page; the records of a JSONL/zip)."""
        tally = Outcome()

        @cfg
        @given(strategy)
        def go(obj) -> None:  # noqa: ANN001
            n_in = records(obj)
            tally.expected += n_in
            with tempfile.TemporaryDirectory() as d:
                p = Path(d) / f"in{suffix[fmt]}"
                p.write_bytes(wrap(obj))
                try:
                    items = list(read_paths([str(p)], fmt=fmt))
                except Exception as e:  # noqa: BLE001
                    tally.crash = f"{type(e).__name__}: {e}"[:160]
                    return
            # one rejection for a whole file that failed stands for all its records (reported, not silent)
            if len(items) == 1 and isinstance(items[0], Rejection) and n_in > 1:
                tally.expected -= n_in - 1
            for it in items:
                tally.read += 1
                if isinstance(it, Rejection):
                    tally.rejected += 1
                    tally.codes[it.code] += 1
                elif isinstance(it, Article):
                    tally.stored += 1

        go()
        return {"kind": kind, "name": name, "inputs": tally.expected, "out": tally, "known": known}

    raw = st.one_of(st.binary(max_size=2000), arabic_mix.map(lambda s: s.encode("utf-8", "surrogatepass")))
    def jsonl_records(b: bytes) -> int:  # every non-blank line is an input; a file with none is one (E_NO_RECORDS)
        return max(1, sum(1 for line in b.split(b"\n") if line.strip()))

    for fmt in sorted(READERS):
        rows.append(reader_row("generated (hypothesis)", f"random bytes / mixed-script text as a {fmt} file", raw, fmt,
                               records=jsonl_records if fmt == "jsonl" else lambda _: 1))
    import json

    recs = st.lists(st.one_of(json_values, st.fixed_dictionaries({"text": any_text, "title": json_values})),
                    min_size=1, max_size=6)
    rows.append(reader_row("generated (hypothesis)", "JSONL files of random JSON values (records counted)", recs,
                           "jsonl", wrap=lambda rs: ("\n".join(json.dumps(r) for r in rs) + "\n").encode(), records=len))
    snn = st.lists(st.dictionaries(st.sampled_from(["content", "title", "url", "date_extracted", "source"]),
                                   st.one_of(any_text, st.none(), st.integers()), max_size=5), min_size=1, max_size=4)
    rows.append(reader_row("generated (hypothesis)", "SaudiNewsNet zips of random records (records counted)", snn,
                           "saudinewsnet", wrap=_snn_zip, records=len))

    pipe = default_pipeline(time_limit=20)
    tally = Outcome()
    count = [0]

    @cfg
    @given(arabic_mix)
    def through_pipeline(s: str) -> None:
        count[0] += 1
        tally.expected += 1
        try:
            out = pipe.process(Article.new(s, source="gen"))
        except Exception as e:  # noqa: BLE001
            tally.crash = f"{type(e).__name__}: {e}"[:160]
            return
        tally.read += 1
        if isinstance(out, Rejection):
            tally.rejected += 1
            tally.codes[f"{out.stage}/{out.code}"] += 1
        else:
            tally.stored += 1

    through_pipeline()
    rows.append({"kind": "generated (hypothesis)", "name": "mixed-script text (Arabic, harakat, tatweel, bidi, ZWJ, "
                 "emoji, NUL, every Unicode category) through the whole pipeline", "inputs": count[0], "out": tally,
                 "known": None})
    return rows


def fuzz_rows(seconds: int, tmp: Path) -> list[dict]:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return [{"kind": "fuzzing (atheris)", "name": "not run: atheris is not installed", "inputs": 0,
                 "out": Outcome(error="atheris missing"), "known": None}]
    from test_rel_fuzz import _seeds

    rows = []
    for mode in ("guarded", "collect"):
        corpus = tmp / f"fuzz-{mode}"
        corpus.mkdir(parents=True, exist_ok=True)
        _seeds(corpus)
        log = tmp / f"findings-{mode}.txt"
        r = subprocess.run([sys.executable, str(REL / "fuzz_readers.py"), f"-max_total_time={seconds}", "-timeout=20",
                            "-rss_limit_mb=2048", f"-artifact_prefix={tmp}/{mode}-", "-print_final_stats=1",
                            str(corpus)], capture_output=True, text=True, cwd=tmp,
                           env=os.environ | {"MARSAD_FUZZ_MODE": mode, "MARSAD_FUZZ_LOG": str(log), "TMPDIR": str(tmp)})
        text = r.stdout + r.stderr
        runs = next((int(ln.split(":")[-1]) for ln in text.splitlines() if "number_of_executed_units" in ln), 0)
        out = Outcome(expected=runs, read=runs)
        if mode == "guarded":
            if r.returncode != 0:
                out.crash = "libFuzzer stopped: " + (text.strip().splitlines() or ["?"])[-1][:150]
            rows.append({"kind": "fuzzing (atheris)", "name": f"coverage-guided mutations of one valid file per reader, "
                         f"through read_paths' guard ({seconds} s)", "inputs": runs, "out": out, "known": None,
                         "verdict": "no crash" if r.returncode == 0 else "CRASH",
                         "note": "every run gave articles/rejections; no exception, hang > 20 s or RSS > 2 GB"
                         if r.returncode == 0 else out.crash})
        else:
            found = Counter()
            if log.exists():
                for line in log.read_text().splitlines():
                    reader, exc, where, _ = (line.split("\t") + ["", "", "", ""])[:4]
                    found[f"{reader}: {exc} at {where}"] += 1
            out.codes = Counter({"E_READER (guard)": sum(found.values())})
            out.rejected = sum(found.values())
            rows.append({"kind": "fuzzing (atheris)", "name": f"the same, readers called directly ({seconds} s): "
                         "exceptions a reader let escape", "inputs": runs, "out": out, "verdict": "reader bugs listed"
                         if found else "no crash", "note": f"{sum(found.values())} inputs raised inside a reader; "
                         "read_paths' guard turns each into an E_READER rejection" if found else "none",
                         "known": "; ".join(f"{k} ×{v}" for k, v in found.most_common()) or None})
    return rows


def crash_rows() -> list[dict]:
    rows = []
    for test, name, n in (("test_kill_9_at_random_points_then_resume",
                           "kill -9 during `marsad ingest` at 20 points spread over the write phase, then resume", 20),
                          ("test_two_ingests_and_a_reader_at_once",
                           "two `marsad ingest` processes into one store + a reader process polling", 3)):
        r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            f"{REL / 'test_rel_crash.py'}::{test}"], capture_output=True, text=True, cwd=REPO)
        last = (r.stdout.strip().splitlines() or ["?"])[-1]
        errors = [ln[2:].strip() for ln in r.stdout.splitlines() if ln.startswith("E ")][:3]
        if errors:
            last += ": " + " / ".join(errors)
        out = Outcome(expected=n, read=n)
        if r.returncode != 0:
            out.crash = f"test failed: {last}"
        rows.append({"kind": "crash and concurrency", "name": name, "inputs": n, "out": out, "known": None,
                     "verdict": "pass" if r.returncode == 0 else "FAIL",
                     "note": "integrity_check ok, each stored article whole, every input once or in rejects"
                     if r.returncode == 0 else last})
    return rows


def render(rows: list[dict], *, seconds: float, quick: bool) -> str:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    crashes = sum(1 for r in rows if r["out"].crash)
    drops = sum(r["out"].silent_drop for r in rows if not r.get("known"))
    known_drops = [r for r in rows if r.get("known") and r["out"].verdict() in ("SILENT DROP", "COUNT MISMATCH")]
    lines = [
        "# Reliability: hostile and broken inputs",
        "",
        f"Generated by `python bench/reliability_table.py{' --quick' if quick else ''}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC ({platform.machine()}, {os.cpu_count()} CPUs, "
        f"{seconds / 60:.1f} min). Files are ingested into a fresh SQLite store exactly as `marsad ingest` does "
        "(readers → pipeline → store); the table counts inputs, not files.",
        "",
        f"**Totals:** {len(rows)} rows, {sum(r['inputs'] for r in rows):,} inputs tried; "
        f"**{crashes} crashes**, **{drops} silent drops**"
        + (f" (plus {len(known_drops)} known, reported to the readers room: see notes)" if known_drops else "")
        + ".",
        "",
        "Outcomes: *stored*; *rejected* with the rejection codes (each kept in the `rejects` table with stage, "
        "reason and raw input); *clear error* (one line, non-zero exit). CRASH and SILENT DROP would be bugs.",
        "",
    ]
    for kind, rs in by_kind.items():
        lines += [f"## {kind}", "", "| case | inputs | outcome | detail |", "|---|---:|---|---|"]
        for r in rs:
            o = r["out"]
            detail = o.detail() or "—"
            if r.get("note"):
                detail = r["note"]
            if r.get("known"):
                detail += f" — *{r['known']}*"
            verdict = r.get("verdict") or o.verdict()
            lines.append(f"| {r['name']} | {r['inputs']:,} | {verdict} | {detail.replace('|', '/')} |")
        lines.append("")
    lines += [
        "## How to read and reproduce",
        "",
        "- The cases live in `tests/reliability/rel_cases.py`; the same catalogue runs in CI "
        "(`pytest tests/reliability`, the big files excepted, which `test_rel_limits.py` covers in a subprocess "
        "that also asserts peak RSS < 1 GB).",
        "- Fuzzing by hand: `python tests/reliability/fuzz_readers.py -max_total_time=300` (guarded) or with "
        "`MARSAD_FUZZ_MODE=strict` to stop at the first exception a reader lets escape.",
        "- Memory on a 2 GB WARC: `python bench/bench_warc_memory.py`.",
        "- Slow clients alone: `python bench/bench_slow_clients.py --nice 15` (2 clients × 10,000 header-less "
        "connections × 60 s on loopback; the clients are niced because on a 2-core machine they otherwise take the "
        "cores the server needs). The issue-16 rows come from `bench/reliability_breaks.py`; each has a "
        "regression test in `tests/reliability/test_issue16_breaks.py`.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=str(REPO / "docs" / "reliability.md"))
    ap.add_argument("--fuzz-seconds", type=int, default=30)
    a = ap.parse_args()
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="marsad-rel-", dir="/tmp"))
    try:
        rows = catalogue_rows(tmp, big=not a.quick)
        rows += generated_rows(40 if a.quick else 150)
        rows += fuzz_rows(10 if a.quick else a.fuzz_seconds, tmp)
        if not a.quick:
            rows += crash_rows()
        from reliability_breaks import break_rows

        rows += break_rows(tmp, quick=a.quick)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    md = render(rows, seconds=time.perf_counter() - t0, quick=a.quick)
    if a.out == "-":
        print(md)
    else:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out).write_text(md, encoding="utf-8")
        print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
