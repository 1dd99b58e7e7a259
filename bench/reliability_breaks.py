"""The break classes of issue 16, run through the real CLI for bench/reliability_table.py.

Each scenario runs `python -m marsad ...` in a subprocess (SQLite on disk, the server on loopback) and becomes one
table row: inputs tried, and what came out (stored, rejected with codes, a clear error), plus wall time and peak
memory where the issue gave a bound. HTML bombs at the default 60 s limit and the slow-client run
(bench/bench_slow_clients.py) take a few minutes; --quick skips them.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "reliability"))

from rel_cases import Outcome  # noqa: E402

ARTICLE = (REPO / "examples" / "articles" / "01-cairo-talks.txt").read_text(encoding="utf-8")
OTHER = (REPO / "examples" / "articles" / "02-sanctions.txt").read_text(encoding="utf-8")


def _cli(*args: str, cwd: Path, stdin: bytes | None = None, timeout: float = 600,
         env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[bytes], float, float]:
    """Run the CLI; returns the result, wall seconds and the peak RSS (MB) of its whole process tree."""
    e = {k: v for k, v in os.environ.items() if k not in {"MARSAD_DB", "MARSAD_DEBUG"}}
    e.update(env or {})
    t0 = time.monotonic()
    p = subprocess.Popen([sys.executable, "-m", "marsad", *args], cwd=cwd, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
    peak = [0.0]
    stop = threading.Event()

    def watch() -> None:  # RSS of the process and its children (the HTML reader runs in one), sampled
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(p.pid)
            while not stop.is_set():
                try:
                    procs = [root, *root.children(recursive=True)]
                    peak[0] = max(peak[0], sum(x.memory_info().rss for x in procs) / 2**20)
                except psutil.Error:
                    pass
                time.sleep(0.05)
        except psutil.Error:
            return

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    try:
        out, err = p.communicate(stdin, timeout=timeout)
    finally:
        stop.set()
        if p.poll() is None:
            p.kill()
    th.join()
    return subprocess.CompletedProcess(p.args, p.returncode, out, err), time.monotonic() - t0, peak[0]


def _ingest_outcome(p: subprocess.CompletedProcess[bytes], db: Path, expected: int) -> Outcome:
    out = Outcome(expected=expected)
    err = p.stderr.decode("utf-8", "replace").strip()
    if p.returncode == 70 or "Traceback" in err or "internal error" in err:
        out.crash = err.splitlines()[-1][:200] if err else f"exit {p.returncode}"
        return out
    if p.returncode not in (0, 3):
        out.error = err.splitlines()[-1][:200] if err else f"exit {p.returncode}"
        return out
    s = json.loads(p.stdout.decode().strip().splitlines()[-1])
    out.read, out.stored, out.duplicate, out.rejected = s["read"], s["stored"], s["duplicate"], s["rejected"]
    if db.exists():
        con = sqlite3.connect(db)
        out.codes = Counter(r[0] for r in con.execute("SELECT code FROM rejects"))
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            out.crash = "integrity_check failed"
        con.close()
    return out


def _row(kind: str, name: str, out: Outcome, *, note: str | None = None, verdict: str | None = None) -> dict:
    r = {"kind": kind, "name": name, "inputs": out.expected, "out": out, "known": None}
    if note:
        r["note"] = note
    if verdict:
        r["verdict"] = verdict
    print(f"  {kind}: {name}: {verdict or out.verdict()} ({note or out.detail()})", file=sys.stderr)
    return r


def _ingest(tmp: Path, name: str, paths: list[str], expected: int, **kw) -> tuple[Outcome, float, float]:  # noqa: ANN003
    db = tmp / f"{name}.db"
    p, secs, peak = _cli("ingest", *paths, "--db", str(db), "--json", "--no-progress", cwd=tmp, **kw)
    return _ingest_outcome(p, db, expected), secs, peak


def _page(n: int) -> str:
    para = "وقال وزير الخارجية إن المباحثات تناولت سبل تعزيز التعاون بين البلدين في المجالات كافة."
    return ("<html><head><title>خبر " + str(n) + "</title></head><body><article>"
            + "".join(f"<p>{para} {n} {i}</p>" for i in range(8)) + "</article></body></html>")


# -- the classes ------------------------------------------------------------------------------------------------
def html_bombs(tmp: Path, quick: bool) -> list[dict]:
    kind = "HTML bombs (reader under the per-document time limit, 60 s)"
    d = tmp / "bombs"
    d.mkdir()
    pages = {
        "9.9 MB page of 500,000 <p>": "<html><body>" + "".join(f"<p>خبر {i}</p>" for i in range(500_000)) + "</body></html>",
        "one element with 500,000 attributes": "<html><body><div " + " ".join(f"a{i}='{i}'" for i in range(500_000))
        + ">خبر</div><p>" + ARTICLE + "</p></body></html>",
        "12 MB page of links": "<html><body>" + "".join(f"<p><a href='/n/{i}'>رابط رقم {i} في الصفحة</a></p>"
                                                          for i in range(180_000)) + "</body></html>",
    }
    if quick:
        pages = {"0.9 MB page of 50,000 <p> (quick: 5 s limit)": "<html><body>"
                 + "".join(f"<p>خبر {i}</p>" for i in range(50_000)) + "</body></html>"}
    rows = []
    for i, (name, html) in enumerate(pages.items()):
        f = d / f"b{i}.html"
        f.write_text(html, encoding="utf-8")
        if quick:
            code = ("import sys, time; from marsad.readers import sandbox; from marsad.readers.html import "
                    "article_from_html; sandbox.set_limits(time_limit=5); t=time.monotonic(); "
                    f"r=article_from_html(open({str(f)!r},'rb').read(), source='b.html'); "
                    "print(getattr(r,'code','stored'), round(time.monotonic()-t,1))")
            t0 = time.monotonic()
            p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
            res = (p.stdout.strip() or p.stderr.strip()[-200:]).split()
            out = Outcome(expected=1, read=1)
            if res and res[0].startswith("E_"):
                out.rejected, out.codes = 1, Counter({res[0]: 1})
            elif res and res[0] == "stored":
                out.stored = 1
            else:
                out.crash = " ".join(res)[:200]
            rows.append(_row(kind, name, out, note=f"{out.detail()} after {time.monotonic() - t0:.1f} s"))
            continue
        out, secs, peak = _ingest(tmp, f"bomb{i}", [str(f)], 1)
        rows.append(_row(kind, f"{name} ({f.stat().st_size / 1e6:.1f} MB)", out,
                         note=f"{out.detail()} in {secs:.0f} s, peak RSS {peak:.0f} MB (process + reader)"))
    return rows


def name_encodings(tmp: Path) -> list[dict]:
    kind = "file names that are not UTF-8"
    d = tmp / "names"
    d.mkdir()
    base = os.fsencode(d)
    Path(os.fsdecode(base + b"/ok.txt")).write_text(ARTICLE, encoding="utf-8")
    Path(os.fsdecode(base + b"/x\xffy.txt")).write_text(OTHER, encoding="utf-8")
    Path(os.fsdecode(base + b"/\xd8\xa7\xff.html")).write_text(_page(1), encoding="utf-8")
    Path(os.fsdecode(base + b"/bin\xfe.txt")).write_bytes(b"\x00\x01" * 500)
    (d / "sub\udcff").mkdir()
    Path(os.fsdecode(base + b"/sub\xff/z\xfe.jsonl")).write_text(
        json.dumps({"id": "n1", "text": ARTICLE + " ٢"}, ensure_ascii=False) + "\n", encoding="utf-8")
    out, _, _ = _ingest(tmp, "names", [str(d)], 5)
    return [_row(kind, "folder with \\xff/\\xfe bytes in file and folder names (text, HTML, JSONL, binary)", out)]


def special_files(tmp: Path) -> list[dict]:
    kind = "special files and folders"
    rows = []
    d = tmp / "special"
    d.mkdir()
    os.mkfifo(d / "fifo.txt")
    (d / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "dangling.txt").symlink_to(tmp / "nowhere.txt")
    (d / "loop").symlink_to(d, target_is_directory=True)
    (d / ".hidden.txt").write_text(OTHER, encoding="utf-8")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "sock"))
    try:
        out, secs, _ = _ingest(tmp, "special", [str(d), "/dev/zero", "/dev/null"], 6, timeout=120)
    finally:
        sock.close()
    rows.append(_row(kind, "folder with a FIFO, a socket, a dangling link, a link loop; /dev/zero and /dev/null as "
                     "arguments", out, note=f"{out.detail()} in {secs:.1f} s (hidden file skipped and counted)"))
    # an unreadable folder: a real mode-000 folder when not root, else the same error injected into the walk
    locked = tmp / "locked"
    (locked / "inner").mkdir(parents=True)
    (locked / "inner" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (locked / "b.txt").write_text(OTHER, encoding="utf-8")
    if os.geteuid() != 0:
        (locked / "inner").chmod(0)
        try:
            out, _, _ = _ingest(tmp, "locked", [str(locked)], 2)
        finally:
            (locked / "inner").chmod(0o755)
        rows.append(_row(kind, "folder with an unreadable (mode 000) subfolder", out))
    else:
        code = ("import os, json; from marsad.readers import expand_paths\n"
                "real=os.scandir\n"
                "def sc(p='.'):\n"
                "    if str(p).endswith('inner'): raise PermissionError(13, 'Permission denied', str(p))\n"
                "    return real(p)\n"
                "os.scandir=sc\n"
                f"print(json.dumps([getattr(x,'code',None) for x in expand_paths([{str(locked)!r}])]))")
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        codes = json.loads(p.stdout.strip() or "[]")
        out = Outcome(expected=2, read=len(codes), stored=codes.count(None),
                      rejected=len(codes) - codes.count(None), codes=Counter(c for c in codes if c))
        rows.append(_row(kind, "folder with an unreadable subfolder (EACCES injected: root reads mode 000)", out))
    # stdin beyond the cap
    big = ("كلمة " * 4_000_000).encode()[: 30 * 2**20]
    p, secs, peak = _cli("process", "-", "--upto", "clean", "--format", "jsonl", cwd=tmp, stdin=big)
    out = Outcome(expected=1, read=1)
    if b"E_TOO_LARGE" in p.stderr:
        out.rejected, out.codes = 1, Counter({"E_TOO_LARGE": 1})
    else:
        out.crash = p.stderr.decode("utf-8", "replace")[-200:]
    rows.append(_row(kind, "30 MB text page on stdin", out, note=f"{out.detail()}, peak RSS {peak:.0f} MB"))
    # 20 MiB of one letter
    (tmp / "letter.txt").write_text("ب" * (10 * 2**20 - 8), encoding="utf-8")
    out, secs, peak = _ingest(tmp, "letter", [str(tmp / "letter.txt")], 1)
    rows.append(_row(kind, "20 MiB of one Arabic letter, no spaces", out,
                     note=f"{out.detail()} in {secs:.1f} s, peak RSS {peak:.0f} MB (was 1.89 GB)"))
    return rows


def ids(tmp: Path) -> list[dict]:
    kind = "ids: path spellings, repeated ids, ids with '/'"
    rows = []
    d = tmp / "ids" / "d"
    d.mkdir(parents=True)
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "b.html").write_text(_page(2), encoding="utf-8")
    (d / "c.jsonl").write_text(json.dumps({"text": OTHER}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp / "ids.db"
    outs = []
    for spelling in ("d", str(d.resolve()), "d/../d/", "./d"):
        p, _, _ = _cli("ingest", spelling, "--db", str(db), "--json", cwd=d.parent)
        outs.append(_ingest_outcome(p, db, 3))
    total = Outcome(expected=12, read=sum(o.read for o in outs), stored=sum(o.stored for o in outs),
                    duplicate=sum(o.duplicate for o in outs), rejected=sum(o.rejected for o in outs))
    rows.append(_row(kind, "one folder ingested 4 times (relative, absolute, d/../d/, ./d)", total,
                     note=f"{total.stored} stored, {total.duplicate} duplicates (3 articles, each stored once)"))
    lines = [{"id": "r1", "text": ARTICLE}, {"id": "r1", "text": OTHER}, {"id": "../../../etc/passwd", "text": OTHER},
             {"id": "tok-test/with-slash", "text": ARTICLE + " ١"}]
    (tmp / "ids.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    out, _, _ = _ingest(tmp, "ids2", [str(tmp / "ids.jsonl")], 4)
    rows.append(_row(kind, "JSONL: one id with two texts; ids '../../../etc/passwd' and 'tok-test/with-slash'", out))
    return rows


def orphans_and_loads(tmp: Path) -> list[dict]:
    kind = "orphans and partial loads"
    rows = []
    d = tmp / "pool"
    d.mkdir()
    for i in range(300):
        (d / f"{i}.txt").write_text(ARTICLE + f"\n{i}", encoding="utf-8")
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        proc = subprocess.Popen([sys.executable, "-m", "marsad", "run", str(d), "--out", str(tmp / "pool-out"),
                                 "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kids: list = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(kids) < 2:
            kids = [k for k in psutil.Process(proc.pid).children(recursive=True)
                    if "marsad.readers.sandbox" not in " ".join(k.cmdline())]
            time.sleep(0.2)
        proc.kill()
        proc.wait()
        _, alive = psutil.wait_procs(kids, timeout=15)
        out = Outcome(expected=len(kids), read=len(kids), rejected=0, stored=len(kids) - len(alive))
        rows.append(_row(kind, "kill -9 of `marsad run --workers 2`", out,
                         note=f"{len(kids)} pool workers, {len(alive)} still alive 15 s later",
                         verdict="pass" if kids and not alive else "FAIL"))
    from marsad.executors import run

    src = tmp / "shards-in"
    src.mkdir()
    for i in range(6):
        (src / f"{i}.txt").write_text(ARTICLE + f"\n{i}", encoding="utf-8")
    run([str(src)], out=tmp / "shards", workers=1, upto="clean", rows_per_shard=2)
    shards = sorted((tmp / "shards" / "articles").glob("*.parquet"))
    data = shards[1].read_bytes()
    shards[1].write_bytes(data[: len(data) // 2])
    p, _, _ = _cli("load", str(tmp / "shards"), "--db", str(tmp / "load.db"), cwd=tmp)
    out = _ingest_outcome(p, tmp / "load.db", 5)
    rows.append(_row(kind, "`marsad load` of 3 shards, one cut in half", out,
                     note=f"{out.detail()} (the 4 articles of the good shards loaded)"))
    return rows


def user_errors(tmp: Path) -> list[dict]:
    kind = "user errors (exit 1/2 with one line, never 70)"
    (tmp / "u.txt").write_text(ARTICLE, encoding="utf-8")
    _cli("ingest", "u.txt", "--db", "u.db", "--upto", "clean", cwd=tmp)
    bad = os.fsdecode(b"a\xffb")
    cases = {
        "show with a non-UTF-8 id": ("show", bad, "--db", "u.db"),
        "search --syntax fts with a non-UTF-8 query": ("search", bad, "--syntax", "fts", "--db", "u.db"),
        "search --source non-UTF-8": ("search", "x", "--source", bad, "--db", "u.db"),
        "rejects --code non-UTF-8": ("rejects", "--code", bad, "--db", "u.db"),
        "export -o /nonexistent/dir/x": ("export", "-o", "/nonexistent/dir/x", "--db", "u.db"),
        "--db /proc/nope.db": ("ingest", "u.txt", "--db", "/proc/nope.db"),
        "ingest /nonexistent (no database created)": ("ingest", "/nonexistent", "--db", "none.db"),
    }
    rows = []
    for name, args in cases.items():
        p, _, _ = _cli(*args, cwd=tmp)
        err = p.stderr.decode("utf-8", "replace").strip()
        out = Outcome(expected=1, read=1)
        if p.returncode in (0, 70) or "Traceback" in err or len(err.splitlines()) != 1:
            out.crash = f"exit {p.returncode}: {err[-150:]}"
        else:
            out.error = f"exit {p.returncode}: {err[:150]}"
        if name.startswith("ingest /nonexistent") and (tmp / "none.db").exists():
            out.crash = "the database was created"
        rows.append(_row(kind, name, out))
    return rows


def disk_full(tmp: Path) -> list[dict]:
    kind = "disk full"
    d = tmp / "df-in"
    d.mkdir()
    for i in range(60):
        (d / f"{i}.txt").write_text(ARTICLE + f"\n{i}" * 300, encoding="utf-8")
    mnt = tmp / "small-disk"
    mnt.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(mnt)],
                                                   capture_output=True).returncode == 0
    if not mounted:
        return [_row(kind, "ingest onto a full filesystem", Outcome(expected=1, read=1),
                     note="skipped: needs root to mount a small tmpfs (tests/reliability: test_disk_full_* "
                          "covers it with SQLite's max_page_count)", verdict="skipped")]
    try:
        p, _, _ = _cli("ingest", str(d), "--db", str(mnt / "x.db"), "--upto", "clean", "--batch-size", "5", cwd=tmp)
        err = p.stderr.decode("utf-8", "replace").strip()
        out = Outcome(expected=1, read=1)
        ok = p.returncode == 1 and "disk is full" in err and len(err.splitlines()) == 1
        con = sqlite3.connect(mnt / "x.db")
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        con.close()
        if ok and integrity == "ok":
            out.error = f"exit 1: {err[:120]}"
        else:
            out.crash = f"exit {p.returncode}: {err[-150:]} (integrity {integrity})"
        return [_row(kind, "ingest of 60 pages onto a 1.5 MB filesystem", out,
                     note=f"{out.detail()}; store intact (integrity ok), {n} articles of the committed batches kept")]
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def server(tmp: Path, quick: bool) -> list[dict]:
    kind = "server: Host headers, token order, slow clients"
    rows = []
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return rows
    _cli("ingest", str(REPO / "examples"), "--db", str(tmp / "srv.db"), "--upto", "clean", cwd=tmp)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(tmp / "srv.db"), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import http.client

    def req(host: str, method: str = "GET", path: str = "/api/articles?limit=1", body: bytes | None = None) -> int:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request(method, path, body=body, headers={"Host": host, "Content-Type": "application/json"})
        st = c.getresponse().status
        c.close()
        return st

    try:
        for _ in range(300):
            try:
                req(f"127.0.0.1:{port}")
                break
            except OSError:
                time.sleep(0.2)
        hosts = {f"127.0.0.1:{port}": 200, f"localhost:{port}": 200, f"[::1]:{port}": 200, "attacker.example": 400,
                 f"attacker.example:{port}": 400, "127.0.0.1.nip.io": 400}
        got = {h: req(h) for h in hosts}
        out = Outcome(expected=len(hosts), read=len(hosts))
        wrong = {h: s for h, s in got.items() if s != hosts[h]}
        rows.append(_row(kind, "Host header: loopback names vs rebinding names", out,
                         note=", ".join(f"{h} → {s}" for h, s in got.items()), verdict="FAIL" if wrong else "pass"))
        st = req(f"127.0.0.1:{port}", "POST", "/api/ingest", b"{not json")
        rows.append(_row(kind, "POST /api/ingest without a token, body not JSON", Outcome(expected=1, read=1),
                         note=f"{st} (the token is checked before the body)", verdict="pass" if st in (401, 403) else "FAIL"))
    finally:
        proc.terminate()
        proc.wait(10)
    sys.path.insert(0, str(REPO / "bench"))
    from bench_slow_clients import run as slow_run

    if quick:
        res = slow_run(clients=2, connections=1000, seconds=10, header_timeout=10, max_connections=1000, nice=15)
    else:
        res = slow_run(clients=2, connections=10_000, seconds=60, header_timeout=10, max_connections=1000, nice=15)
    opened = sum(c["opened"] for c in res["client_stats"])
    rows.append(_row(kind, f"{res['clients']} clients × {res['connections_per_client']:,} connections that never finish "
                     f"their headers, {res['seconds']:g} s", Outcome(expected=res["probes"], read=res["probes"]),
                     note=f"{opened:,} connections opened, server descriptors peak {res['server_fds_peak']}; "
                     f"{res['probes']} normal requests meanwhile: {res['probe_failures']} failed, p50 "
                     f"{res['probe_p50_s']} s, max {res['probe_max_s']} s (bench/bench_slow_clients.py)",
                     verdict="pass" if res["ok"] else "FAIL"))
    return rows


def break_rows(tmp: Path, *, quick: bool) -> list[dict]:
    tmp = tmp / "breaks"
    tmp.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    for fn in (lambda t: html_bombs(t, quick), name_encodings, special_files, ids, orphans_and_loads, user_errors,
               disk_full, lambda t: server(t, quick)):
        sub = tmp / f"s{len(rows)}"
        sub.mkdir()
        try:
            rows += fn(sub)
        except Exception as e:  # noqa: BLE001 - a failed scenario is a FAIL row, not a lost table
            out = Outcome(expected=1, read=0, crash=f"{type(e).__name__}: {e}"[:200])
            rows.append(_row("scenario errors", getattr(fn, "__name__", "scenario"), out))
    return rows
