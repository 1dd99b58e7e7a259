"""Regression tests for the breaks an outside attempt found (issue 16, items 1-11). Each drives the real CLI (a
subprocess, SQLite on disk) or the real server on loopback, and failed on the code before the fix.

The large and long runs (the 9.9 MB page at the default 60 s limit, 2 × 10k slow connections) are in
bench/reliability_table.py; the versions here are small and bounded."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTICLE = (REPO / "examples" / "articles" / "01-cairo-talks.txt").read_bytes()
OTHER = (REPO / "examples" / "articles" / "02-sanctions.txt").read_bytes()


def marsad(*args: str | bytes, cwd: Path, stdin: bytes | None = None, timeout: float = 300,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    e = {k: v for k, v in os.environ.items() if k not in {"MARSAD_DB", "MARSAD_DEBUG"}}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "marsad", *args], cwd=cwd, input=stdin, capture_output=True,
                          timeout=timeout, env=e)


def summary(p: subprocess.CompletedProcess[bytes]) -> dict:
    assert p.returncode in (0, 3), p.stderr.decode("utf-8", "replace")[-2000:]
    return json.loads(p.stdout.decode().strip().splitlines()[-1])


def rejects(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT stage, code, reason, source, raw, raw_pointer FROM rejects").fetchall()
    finally:
        con.close()


def one_line_user_error(p: subprocess.CompletedProcess[bytes]) -> str:
    err = p.stderr.decode("utf-8", "replace").strip()
    assert p.returncode not in (0, 70), (p.returncode, err)
    assert "internal error" not in err and "Traceback" not in err, err
    assert len(err.splitlines()) == 1 and err.startswith("marsad: error:"), err
    return err


# -- 1. a file name that is not UTF-8 ----------------------------------------------------------------------
def test_non_utf8_file_name_does_not_lose_the_ingest(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_bytes(ARTICLE)
    Path(os.fsdecode(os.fsencode(d) + b"/x\xffy.txt")).write_bytes(OTHER)
    Path(os.fsdecode(os.fsencode(d) + b"/bin\xfe.txt")).write_bytes(b"\x00\x01binary" * 100)
    s = summary(marsad("ingest", "d", "--db", "d.db", "--json", cwd=tmp_path))
    assert (s["read"], s["stored"], s["rejected"]) == (3, 2, 1), s
    [rej] = rejects(tmp_path / "d.db")
    assert rej["code"] == "E_BINARY" and "bin\\xfe.txt" in rej["source"]  # the raw name kept, escaped
    shown = marsad("search", "--db", "d.db", "--format", "jsonl", cwd=tmp_path)
    assert shown.returncode == 0 and b"x\\\\xffy.txt" in shown.stdout


# -- 3. inputs that vanished uncounted -----------------------------------------------------------------------
def test_folder_expansion_accounts_for_every_entry(tmp_path):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.txt").write_bytes(ARTICLE)
    (d / ".hidden.txt").write_bytes(OTHER)
    (d / "README.md").write_text("about this folder")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_bytes(OTHER)
    (d / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (d / "loop").symlink_to(d, target_is_directory=True)
    (d / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    p = marsad("ingest", "d", "--db", "d.db", "--json", cwd=tmp_path)
    s = summary(p)
    # a.txt and the symlinked folder's b.txt stored; the dangling link is a rejection; the loop is walked once
    assert (s["stored"], s["rejected"]) == (2, 1), s
    assert [r["code"] for r in rejects(tmp_path / "d.db")] == ["E_NOT_FOUND"]
    assert s["skipped"] == 2  # .hidden.txt and README.md: left out, but counted


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 folder anyway (CAP_DAC_READ_SEARCH)")
def test_unreadable_folder_is_a_rejection(tmp_path):
    d = tmp_path / "d"
    (d / "locked").mkdir(parents=True)
    (d / "locked" / "a.txt").write_bytes(ARTICLE)
    (d / "b.txt").write_bytes(OTHER)
    (d / "locked").chmod(0)
    try:
        s = summary(marsad("ingest", "d", "--db", "d.db", "--json", cwd=tmp_path))
    finally:
        (d / "locked").chmod(0o755)
    assert (s["stored"], s["rejected"]) == (1, 1), s
    assert rejects(tmp_path / "d.db")[0]["code"] == "E_IO"


def test_unreadable_folder_is_a_rejection_in_process(tmp_path, monkeypatch):
    """The same check without relying on file modes (root in CI): os.walk's error callback is the path taken."""
    from marsad.readers import expand_paths

    d = tmp_path / "d"
    (d / "locked").mkdir(parents=True)
    (d / "b.txt").write_bytes(OTHER)
    real_scandir = os.scandir

    def scandir(path="."):  # noqa: ANN001, ANN202
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = list(expand_paths([str(d)]))
    [rej] = [o for o in out if getattr(o, "code", None)]
    assert rej.code == "E_IO" and "locked" in rej.source
    assert [o.name for o in out if isinstance(o, Path)] == ["b.txt"]


# -- 4. ids and repeated ids -----------------------------------------------------------------------------------
def _html_page(n: int) -> bytes:
    para = "وقال وزير الخارجية إن المباحثات تناولت سبل تعزيز التعاون بين البلدين في المجالات كافة. "
    return ("<html><head><title>خبر " + str(n) + "</title></head><body><article>"
            + "".join(f"<p>{para} {n} {i}</p>" for i in range(8)) + "</article></body></html>").encode()


def test_same_folder_by_relative_then_absolute_path_stores_nothing_twice(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_bytes(ARTICLE)
    (d / "b.html").write_bytes(_html_page(1))
    (d / "c.jsonl").write_text(json.dumps({"text": OTHER.decode()}, ensure_ascii=False) + "\n")
    first = summary(marsad("ingest", "d", "--db", "x.db", "--json", cwd=tmp_path))
    assert first["stored"] == 3, first
    again = summary(marsad("ingest", str(d.resolve()), "--db", "x.db", "--json", cwd=tmp_path))
    assert (again["stored"], again["duplicate"]) == (0, 3), again
    via_dots = summary(marsad("ingest", "d/../d/", "--db", "x.db", "--json", cwd=tmp_path))
    assert (via_dots["stored"], via_dots["duplicate"]) == (0, 3), via_dots


def test_repeated_id_with_different_text_is_a_rejection(tmp_path):
    lines = [{"id": "r1", "text": ARTICLE.decode()}, {"id": "r1", "text": OTHER.decode()},
             {"id": "r1", "text": ARTICLE.decode()}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    s = summary(marsad("ingest", "in.jsonl", "--db", "x.db", "--json", cwd=tmp_path))
    assert (s["read"], s["stored"], s["duplicate"], s["rejected"]) == (3, 1, 1, 1), s
    [rej] = rejects(tmp_path / "x.db")
    assert rej["code"] == "E_ID_CONFLICT" and rej["raw"].decode() == OTHER.decode()  # the second text is kept
    # ... and across runs too: the stored article stays, the different text is refused again
    (tmp_path / "more.jsonl").write_text(json.dumps(lines[1], ensure_ascii=False) + "\n")
    s2 = summary(marsad("ingest", "more.jsonl", "--db", "x.db", "--json", cwd=tmp_path))
    assert (s2["stored"], s2["rejected"]) == (0, 1), s2


# -- 5. bounds on what is read ---------------------------------------------------------------------------------
def test_fifo_and_device_are_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "a.txt").write_bytes(ARTICLE)
    p = marsad("ingest", str(fifo), "/dev/zero", "a.txt", "--db", "x.db", "--json", cwd=tmp_path, timeout=120)
    s = summary(p)
    assert (s["read"], s["stored"], s["rejected"]) == (3, 1, 2), s
    assert sorted(r["code"] for r in rejects(tmp_path / "x.db")) == ["E_SPECIAL_FILE", "E_SPECIAL_FILE"]


def test_fifo_inside_a_folder_is_refused(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    os.mkfifo(d / "pipe.txt")
    (d / "a.txt").write_bytes(ARTICLE)
    s = summary(marsad("ingest", "d", "--db", "x.db", "--json", cwd=tmp_path, timeout=120))
    assert (s["stored"], s["rejected"]) == (1, 1), s


def test_stdin_is_bounded(tmp_path):
    from marsad.readers.base import MAX_DOC_BYTES

    big = ("كلمة " * (MAX_DOC_BYTES // 8)).encode()[: MAX_DOC_BYTES + 4096]
    p = marsad("process", "-", "--upto", "clean", "--format", "jsonl", cwd=tmp_path, stdin=big)
    assert p.returncode == 3
    assert b"E_TOO_LARGE" in p.stderr and b"standard input" in p.stderr


# -- 2. the HTML reader under the time limit ---------------------------------------------------------------
def test_stalling_html_page_is_a_timeout_rejection_within_the_limit(tmp_path):
    # 150k paragraphs: trafilatura needs far longer than the 2 s limit given here (the 500k-paragraph page of the
    # issue never finished); bench/reliability_table.py runs that one at the default 60 s
    page = "<html><body>" + "".join(f"<p>خبر {i}</p>" for i in range(150_000)) + "</body></html>"
    from marsad.readers import sandbox
    from marsad.readers.html import article_from_html

    old = sandbox.TIME_LIMIT
    sandbox.set_limits(time_limit=2.0)
    try:
        t0 = time.monotonic()
        rej = article_from_html(page.encode(), source="bomb.html")
        took = time.monotonic() - t0
        assert getattr(rej, "code", None) == "E_TIMEOUT", rej
        assert took < 2.0 + 5.0, took  # the limit, plus the reader process's start-up
        assert rej.raw and rej.attrs.get("raw_size") == len(page.encode())  # a prefix kept, and the full size
        # the next page is read by a fresh reader process
        ok = article_from_html(_html_page(2), source="ok.html")
        assert type(ok).__name__ == "Article", ok
    finally:
        sandbox.set_limits(time_limit=old)


def test_html_reader_memory_cap(tmp_path):
    """A page whose extraction needs more than the reader's memory cap is E_TOO_LARGE, not a swapped machine."""
    page = "<html><body>" + "".join(f"<p><a href='/x{i}'>رابط {i}</a></p>" for i in range(60_000)) + "</body></html>"
    (tmp_path / "links.html").write_text(page, encoding="utf-8")
    p = marsad("process", "links.html", "--upto", "clean", "--format", "jsonl", cwd=tmp_path,
               env={"MARSAD_READER_MEMORY": str(200 << 20)})
    assert p.returncode == 3, p.stderr[-2000:]
    assert b"E_TOO_LARGE" in p.stderr or b"E_HTML" in p.stderr, p.stderr[-2000:]


# -- 8 and 11. user errors are user errors -----------------------------------------------------------------
def test_user_errors_are_one_line_and_not_internal(tmp_path):
    (tmp_path / "a.txt").write_bytes(ARTICLE)
    assert marsad("ingest", "a.txt", "--db", "x.db", cwd=tmp_path).returncode == 0
    bad = b"a\xffb"
    cases = [
        ("show", bad, "--db", "x.db"),
        ("search", bad, "--syntax", "fts", "--db", "x.db"),
        ("search", "x", "--source", bad, "--db", "x.db"),
        ("rejects", "--code", bad, "--db", "x.db"),
        ("export", "-o", "/nonexistent/dir/x", "--db", "x.db"),
        ("ingest", "a.txt", "--db", "/proc/nope.db"),
    ]
    for args in cases:
        one_line_user_error(marsad(*args, cwd=tmp_path))


def test_ingest_of_nothing_creates_no_database(tmp_path):
    p = marsad("ingest", "/nonexistent", "--db", "x.db", cwd=tmp_path)
    err = one_line_user_error(p)
    assert "no such file" in err
    assert not (tmp_path / "x.db").exists()


def test_disk_full_is_reported_as_such(tmp_path):
    """SQLite's max_page_count gives the same SQLITE_FULL error as a full disk (the bench fills a real small
    filesystem). SQLite rolls the transaction back itself; the message must name the cause, not the failed
    second ROLLBACK, and the store stays as it was."""
    from click.testing import CliRunner

    from marsad.cli import main
    from marsad.store import Store

    d = tmp_path / "d"
    d.mkdir()
    for i in range(40):
        (d / f"{i}.txt").write_text(ARTICLE.decode() + f"\n{i}" * 200, encoding="utf-8")
    with Store(tmp_path / "x.db"):
        pass
    pages = sqlite3.connect(tmp_path / "x.db").execute("PRAGMA page_count").fetchone()[0]
    real_init = Store.__init__

    def small_disk(self, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        real_init(self, *a, **kw)
        self.conn.execute(f"PRAGMA max_page_count = {pages + 20}")

    Store.__init__ = small_disk  # type: ignore[method-assign]
    try:
        r = CliRunner().invoke(main, ["ingest", str(d), "--db", str(tmp_path / "x.db"), "--upto", "clean"])
    finally:
        Store.__init__ = real_init  # type: ignore[method-assign]
    assert r.exit_code == 1, (r.exit_code, r.output)
    assert "disk is full" in r.output and "internal error" not in r.output, r.output
    con = sqlite3.connect(tmp_path / "x.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- 9. orphans and partial loads ------------------------------------------------------------------------------
def test_pool_workers_die_with_their_parent(tmp_path):
    psutil = pytest.importorskip("psutil")
    d = tmp_path / "d"
    d.mkdir()
    for i in range(400):
        (d / f"{i}.txt").write_text(ARTICLE.decode() + f"\n{i}", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "run", "d", "--out", "out", "--workers", "2"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        kids: list = []
        while time.monotonic() < deadline:
            kids = [k for k in psutil.Process(proc.pid).children(recursive=True)
                    if "marsad.readers.sandbox" not in " ".join(k.cmdline())]
            if len(kids) >= 2:
                break
            time.sleep(0.2)
        assert len(kids) >= 2, "the pool did not start"
        proc.kill()
        proc.wait()
        gone, alive = psutil.wait_procs(kids, timeout=15)
        assert not alive, f"pool workers outlived their parent: {alive}"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_load_keeps_the_good_shards_and_rejects_the_bad_one(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    for i in range(6):
        (d / f"{i}.txt").write_text(ARTICLE.decode() + f"\n{i}", encoding="utf-8")
    from marsad.executors import run

    run([str(d)], out=tmp_path / "out", workers=1, upto="clean", rows_per_shard=2)
    shards = sorted((tmp_path / "out" / "articles").glob("*.parquet"))
    assert len(shards) == 3
    data = shards[1].read_bytes()
    shards[1].write_bytes(data[: len(data) // 2])  # cut in half
    p = marsad("load", "out", "--db", "x.db", cwd=tmp_path)
    assert p.returncode in (0, 3), p.stderr[-2000:]
    s = json.loads(p.stdout.decode().strip().splitlines()[-1])
    assert (s["stored"], s["rejected"]) == (4, 1), s
    [rej] = rejects(tmp_path / "x.db")
    assert rej["code"] == "E_SHARD" and rej["source"].endswith(shards[1].name)


# -- 10. ids that cannot be URLs ------------------------------------------------------------------------------
def test_ids_with_a_slash_are_rejected_not_stored_unreachable(tmp_path):
    lines = [{"id": "../../../etc/passwd", "text": ARTICLE.decode()}, {"id": "ok-1", "text": OTHER.decode()}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    s = summary(marsad("ingest", "in.jsonl", "--db", "x.db", "--json", cwd=tmp_path))
    assert (s["stored"], s["rejected"]) == (1, 1), s
    assert rejects(tmp_path / "x.db")[0]["code"] == "E_BAD_ID"


# -- 6, 7, 11. the server ---------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    pytest.importorskip("uvicorn")
    (tmp_path / "a.txt").write_bytes(ARTICLE)
    assert marsad("ingest", "a.txt", "--db", "x.db", "--upto", "clean", cwd=tmp_path).returncode == 0
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad", "serve", "--db", "x.db", "--port", str(port), "--header-timeout", "1",
         "--max-connections", "64", "--allow-host", "news.example.org"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    yield port
    proc.terminate()
    proc.wait(10)


def _get(port: int, path: str, host: str | None = None, method: str = "GET", body: bytes = b"",
         headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    import http.client

    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    h = dict(headers or {})
    if host is not None:
        h["Host"] = host
    c.request(method, path, body=body or None, headers=h)
    r = c.getresponse()
    out = r.status, r.read()
    c.close()
    return out


def test_server_answers_only_the_host_names_it_serves(server):
    assert _get(server, "/api/articles?limit=1", host=f"127.0.0.1:{server}")[0] == 200
    assert _get(server, "/api/articles?limit=1", host=f"localhost:{server}")[0] == 200
    assert _get(server, "/api/articles?limit=1", host="news.example.org")[0] == 200  # --allow-host
    status, body = _get(server, "/api/articles?limit=1", host="attacker.example")
    assert status == 400 and b"host_not_allowed" in body and b"demo" not in body


def test_post_without_token_is_401_or_403_before_the_body_is_parsed(server):
    status, body = _get(server, "/api/ingest", method="POST", body=b"{not json",
                        headers={"Content-Type": "application/json"})
    assert status in (401, 403), (status, body)


def test_slow_clients_are_closed_and_normal_requests_still_answered(server):
    port = server
    idle = []
    for _ in range(150):  # more than --max-connections 64, none finishing its headers
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        idle.append(s)
    try:
        t0 = time.monotonic()
        assert _get(server, "/api/articles?limit=1", host="127.0.0.1")[0] == 200
        assert time.monotonic() - t0 < 1.0
        time.sleep(2.5)  # past the 1 s header timeout: every idle connection was closed by the server
        closed = 0
        for s in idle:
            s.settimeout(2)
            try:
                closed += s.recv(1) == b""
            except (ConnectionResetError, TimeoutError, OSError) as e:
                closed += not isinstance(e, TimeoutError)
        assert closed == len(idle)
    finally:
        for s in idle:
            s.close()


# -- 5. a "word" of millions of letters ----------------------------------------------------------------------------
def test_one_letter_repeated_is_refused_before_the_stages(tmp_path):
    """20 MiB of one letter peaked at 1.9 GB in the entities stage; it is refused at read time now, in bounded
    memory (bench/reliability_table.py measures the peak on the full 20 MiB)."""
    (tmp_path / "letter.txt").write_text("ب" * 3_000_000, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(ARTICLE.decode() + " " + "ب" * 9_000, encoding="utf-8")
    s = summary(marsad("ingest", "letter.txt", "ok.txt", "--db", "x.db", "--json", "--upto", "text-layer",
                       cwd=tmp_path))
    assert (s["stored"], s["rejected"]) == (1, 1), s
    [rej] = rejects(tmp_path / "x.db")
    assert rej["code"] == "E_NO_WORDS" and rej["raw"]


# -- 11. reader failures keep a pointer to their input ---------------------------------------------------------------
def test_reader_failure_keeps_a_pointer_to_the_input(tmp_path):
    from marsad.readers import READERS, read_paths, register_reader

    def broken(path, **_opts):  # noqa: ANN001, ANN202
        yield from ()
        raise RuntimeError("reader bug")

    register_reader("broken-test", lambda p, h: False)(broken)
    try:
        (tmp_path / "a.txt").write_bytes(ARTICLE)
        [rej] = list(read_paths([str(tmp_path / "a.txt")], fmt="broken-test"))
    finally:
        READERS.pop("broken-test", None)
    assert rej.code == "E_READER" and rej.attrs.get("path") == str(tmp_path / "a.txt")


def test_api_ingest_reports_an_id_conflict(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from marsad.api.app import create_app
    from marsad.stages import default_pipeline
    from marsad.store import Store

    with Store(tmp_path / "x.db"):
        pass
    app = create_app(tmp_path / "x.db", token="t", pipeline=default_pipeline(upto="clean"))
    c = TestClient(app)
    h = {"Authorization": "Bearer t"}
    r1 = c.post("/api/ingest", json={"articles": [{"id": "same-1", "text": ARTICLE.decode()}]}, headers=h)
    assert r1.status_code == 200 and r1.json()["stored"] == ["same-1"], r1.text
    r2 = c.post("/api/ingest", json={"articles": [{"id": "same-1", "text": OTHER.decode()},
                                                  {"id": "a/b", "text": OTHER.decode()}]}, headers=h)
    codes = sorted(x["code"] for x in r2.json()["rejected"])
    assert codes == ["E_BAD_ID", "E_ID_CONFLICT"], r2.text
