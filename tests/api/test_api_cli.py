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
