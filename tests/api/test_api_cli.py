"""``marsad serve`` as a command: help, a missing store is one line, loopback by default."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from marsad.cli import main


def test_serve_help_names_the_security_defaults():
    r = CliRunner().invoke(main, ["serve", "--help"])
    assert r.exit_code == 0
    assert "127.0.0.1" in r.output and "--token" in r.output and "MARSAD_TOKEN" in r.output


def test_serve_missing_store_is_one_line(tmp_path):
    p = subprocess.run([sys.executable, "-c", "from marsad.cli import main; main()", "serve", "--db",
                        str(tmp_path / "nope.db")], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert "no marsad store" in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_live_server_binds_loopback_and_answers(live):
    import httpx

    assert live.url.startswith("http://127.0.0.1:")
    r = httpx.get(live.url + "/api/stats", timeout=10)
    assert r.status_code == 200 and r.json()["articles"] == 37
    assert "uvicorn" not in r.headers.get("server", "")
    r = httpx.get(live.url + "/openapi.json", timeout=10)
    assert r.json()["info"]["title"] == "marsad"


def test_serve_with_two_workers_answers_and_checks_host(tmp_path):
    """``serve --workers 2`` hands the bounded protocol to uvicorn's worker processes by name (a class made in a
    function cannot be pickled to them: it used to stop with an internal error before serving)."""
    import socket
    import time

    import httpx

    from marsad.data import Article
    from marsad.store import Store

    db = tmp_path / "w.db"
    with Store(db) as st:
        st.add([Article.new("قال وزير الخارجية إن المحادثات مستمرة مع الجانب الآخر.", id="w1", source="test")])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", "from marsad.cli import main; main()", "serve", "--db", str(db),
                             "--workers", "2", "--port", str(port)], stderr=subprocess.PIPE)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/stats"
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "server exited"
                assert time.monotonic() < deadline, "server did not answer within 60 s"
                time.sleep(0.5)
        assert r.status_code == 200
        assert httpx.get(url, headers={"Host": "attacker.example"}, timeout=5).status_code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _children(pid: int) -> list[int]:
    """The server's worker processes (not multiprocessing's resource tracker)."""
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        kids = [int(x) for x in f.read().split()]
    out = []
    for k in kids:
        with open(f"/proc/{k}/cmdline", "rb") as f:
            if b"spawn_main" in f.read():
                out.append(k)
    return out


def test_serve_workers_share_a_burst_and_a_taken_port_is_one_line(tmp_path):
    """Each worker listens on its own socket (SO_REUSEPORT), so a burst of connections reaches both: with one shared
    socket the first worker to wake accepted a whole burst while the other idled. A second server on the same port
    stops with one line instead of quietly sharing the port."""
    import os
    import socket
    import time
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    import pytest

    if not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children") or not hasattr(socket, "SO_REUSEPORT"):
        pytest.skip("needs Linux /proc and SO_REUSEPORT")
    from marsad.data import Article
    from marsad.store import Store

    db = tmp_path / "w.db"
    with Store(db) as st:
        st.add([Article.new(f"قال الوزير إن المحادثات مستمرة في الجولة رقم {i}.", id=f"w{i}", source="test")
                for i in range(50)])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-c", "from marsad.cli import main; main()", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen([*cmd, "--workers", "2", "--cache-size", "0"], stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/api/articles"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url, params={"q": "الوزير"}, timeout=2)
                if len(_children(proc.pid)) >= 2:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "server exited"
            assert time.monotonic() < deadline, "server did not answer within 60 s"
            time.sleep(0.5)
        time.sleep(2)  # both workers up and idle
        workers = _children(proc.pid)
        before = {w: _cpu_ticks(w) for w in workers}

        def one(i: int) -> int:
            return httpx.get(url, params={"q": f"الجولة {i % 50}"}, timeout=30).status_code  # a new connection each

        with ThreadPoolExecutor(32) as pool:
            assert set(pool.map(one, range(600))) == {200}
        used = {w: _cpu_ticks(w) - before[w] for w in workers}
        assert min(used.values()) > 0.15 * sum(used.values()), used

        second = subprocess.run([*cmd, "--workers", "2"], capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert "already in use" in second.stderr and "Traceback" not in second.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=30)
