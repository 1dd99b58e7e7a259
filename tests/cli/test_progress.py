"""Progress bars: the total is known before reading (ETA), the bar advances once per input, and nothing is drawn
when stderr is not a terminal (pipes and logs stay clean)."""

from __future__ import annotations

import io
from pathlib import Path

from marsad.cli.options import progress
from marsad.cli.store import estimate_total


def test_estimate_total_counts_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("نص", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>نص</p>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n{"text": "z"}\n', encoding="utf-8")
    assert estimate_total([str(tmp_path)]) == 5
    (tmp_path / "d.warc.gz").write_bytes(b"")
    assert estimate_total([str(tmp_path)]) is None  # a container is counted only by reading it
    assert estimate_total(["-"]) is None


def test_progress_counts_and_stays_quiet_off_a_terminal(capsys) -> None:  # noqa: ANN001
    with progress("export", 3) as advance:
        for _ in range(3):
            advance()
    assert capsys.readouterr().err == ""


def test_progress_draws_total_rate_and_eta_on_a_terminal(monkeypatch) -> None:  # noqa: ANN001
    import rich.console

    buf = io.StringIO()
    orig = rich.console.Console.__init__

    def forced(self, *a, **kw):  # noqa: ANN001, ANN002, ANN003
        kw.update(file=buf, force_terminal=True, width=150)
        kw.pop("stderr", None)
        orig(self, *a, **kw)

    monkeypatch.setattr(rich.console.Console, "__init__", forced)
    with progress("export", 4) as advance:
        for _ in range(4):
            advance()
    out = buf.getvalue()
    assert "export" in out and "4/4" in out and "articles/s" in out and "ETA" in out
