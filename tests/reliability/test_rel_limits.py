"""Resource limits: a pathological page is rejected with the reason instead of stalling the batch (in the ingest
path and in the process-pool workers), and huge inputs (a 200 MB single line, a 50 MB JSONL line, a gzip bomb of
one 512 MB line) are refused while memory stays bounded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rel_cases import SENT, jsonl_line

from marsad.data import Article, Rejection

HERE = Path(__file__).resolve().parent
PATHOLOGICAL = "كلمة " * 400_000  # 2 MB of words with no sentence end: far beyond a 1 s budget


def test_pathological_page_is_rejected_not_stalling_the_batch(tmp_path):
    from marsad.readers import read_paths
    from marsad.stages import default_pipeline
    from marsad.store import Store

    p = tmp_path / "in.jsonl"
    p.write_bytes(b"\n".join([jsonl_line(1), json.dumps({"text": PATHOLOGICAL}).encode(), jsonl_line(3)]) + b"\n")
    with Store(tmp_path / "t.db") as st:
        s = st.ingest(read_paths([str(p)]), pipeline=default_pipeline(time_limit=1.0))
        assert (s.read, s.stored, s.rejected) == (3, 2, 1)
        [row] = st.conn.execute("SELECT stage, code, reason, raw FROM rejects").fetchall()
    assert row["code"] == "E_TIMEOUT" and "per-document limit" in row["reason"]
    assert row["raw"]  # the input is kept with the rejection


def test_pathological_page_in_pool_workers(tmp_path):
    from marsad.executors import iter_run

    for i, text in enumerate([SENT * 3, PATHOLOGICAL, SENT * 4]):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
    out = list(iter_run([str(tmp_path)], workers=2, time_limit=1.0))
    assert [type(o) for o in out] == [Article, Rejection, Article]
    assert out[1].code == "E_TIMEOUT" and out[1].source.endswith("1.txt")


_BIG = """
import json, resource, sys, tempfile, shutil, zlib
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from rel_cases import Case, _huge_line, _write, jsonl_line, run_case

def bomb():  # one 512 MB line of 'a' and a good record, gzip-compressed to ~0.5 MB
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [c.compress(b"a" * (1 << 20)) for _ in range(512)]
    return b"".join(parts) + c.compress(b"\\n" + jsonl_line(1) + b"\\n") + c.flush()

cases = [Case("huge", "200 MB line", _huge_line("big.txt", 200, jsonl=False), 1),
         Case("huge", "50 MB JSONL line", _huge_line("big.jsonl", 50, jsonl=True), 3),
         Case("bomb", "gzip line bomb", _write("bomb.jsonl.gz", bomb), 2)]
d = Path(tempfile.mkdtemp())
res = []
for i, c in enumerate(cases):
    o = run_case(c, d / str(i))
    shutil.rmtree(d / str(i))
    res.append({"name": c.name, "read": o.read, "expected": c.records, "stored": o.stored,
                "codes": dict(o.codes), "crash": o.crash, "error": o.error})
def peak_mb():
    # VmHWM belongs to this process image; ru_maxrss can carry the parent's size across fork (a big pytest run)
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cases": res, "maxrss_mb": peak_mb()}))
"""


def test_huge_inputs_refused_with_bounded_memory():
    r = subprocess.run([sys.executable, "-c", _BIG, str(HERE)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    for c in res["cases"]:
        assert c["crash"] is None and c["error"] is None, c
        assert c["read"] == c["expected"], c
        assert c["codes"].get("E_TOO_LARGE") == 1, c
    stored = {c["name"]: c["stored"] for c in res["cases"]}
    assert stored == {"200 MB line": 0, "50 MB JSONL line": 2, "gzip line bomb": 1}
    # The whole process (pipeline models included) stays far below the size of what it was fed.
    assert res["maxrss_mb"] < 1024, res
