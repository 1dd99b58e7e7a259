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
