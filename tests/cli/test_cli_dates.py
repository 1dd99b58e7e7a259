"""Every CLI date option is validated (one line, exit 2, nothing reaches the store); --field names our fields;
click's usage errors are one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize(
    "args",
    [
        ("search", "x", "--from", "2018-13-45"),
        ("search", "x", "--from", "2018/03/01"),
        ("search", "x", "--to", "yesterday"),
        ("stance", "--from", "yesterday"),
        ("export", "--from", "2018-02-30"),
        ("stories", "--since", "soon"),
        ("export", "--from", "2018-03-10", "--to", "2018-03-01"),
    ],
)
def test_bad_dates_one_line_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "x.db"
    p = run(*args, "--db", str(db))
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("marsad: error: [E_DATE]"), err
    assert not db.exists()  # nothing was created or stored


def test_field_must_name_one_of_ours(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text('{"body": "نص"}\n', encoding="utf-8")
    p = run("process", str(f), "--field", "foo=body")
    err = p.stderr.decode()
    assert p.returncode == 2 and err.startswith("marsad: error: [E_FIELD]") and len(err.splitlines()) == 1, err


def test_usage_errors_are_one_line() -> None:
    for args in (("export", "--bogus"), ("export", "--format", "xml"), ("nosuchcommand",)):
        p = run(*args)
        err = p.stderr.decode()
        assert p.returncode == 2 and len(err.strip().splitlines()) == 1 and err.startswith("marsad: error: "), err


def test_given_date_in_a_jsonl_field_is_parsed_or_refused(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    text = "بحث وزير الخارجية المصري مع نظيره الأردني في عمان سبل تعزيز التعاون بين البلدين."
    f.write_text(
        f'{{"text": "{text}", "time": "Thu, 01 Mar 2018 12:10:19 +0400"}}\n{{"text": "{text} ثانيا", "time": "yesterday"}}\n',
        encoding="utf-8",
    )
    db = tmp_path / "x.db"
    p = run("ingest", str(f), "--db", str(db), "--field", "published=time", "--upto", "clean")
    assert p.returncode in (0, 3), p.stderr.decode()
    import sqlite3

    with sqlite3.connect(db) as c:
        assert c.execute("SELECT published FROM articles").fetchall() == [("2018-03-01",)]
        rej = c.execute("SELECT code, reason FROM rejects").fetchall()
    assert [r[0] for r in rej] == ["E_DATE"] and "yesterday" in rej[0][1]


def test_rejection_code_is_said_once(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    err = run("process", str(f)).stderr.decode()
    assert "[E_EMPTY]" in err and "[E_EMPTY] [E_EMPTY]" not in err, err
