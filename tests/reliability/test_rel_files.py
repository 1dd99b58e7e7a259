"""Corrupted, truncated, nested, binary and wrongly encoded files through `marsad ingest`'s path (readers ->
pipeline -> SQLite store): every input is stored or rejected with a reason; nothing crashes or vanishes.

The big cases (200 MB line, zip/gzip bombs) run in test_rel_limits.py and in bench/reliability_table.py."""

from __future__ import annotations

import pytest
from rel_cases import KNOWN_BUGS, catalogue, run_case

CASES = catalogue(big=False)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}: {c.name}" for c in CASES])
def test_bad_input_is_stored_or_rejected(case, tmp_path):
    if case.name in KNOWN_BUGS:
        pytest.xfail(KNOWN_BUGS[case.name])
    out = run_case(case, tmp_path)
    assert out.crash is None, out.crash
    assert out.error is None or out.error.startswith("["), out.error  # a clear, coded one-line error
    assert out.read == case.records, f"{out.read} of {case.records} inputs came out: {out.detail()}"
    assert out.read == out.stored + out.duplicate + out.rejected
    if case.expect_text is not None:
        assert out.stored == 1 and out.text_ok, "decoded text differs from what was encoded"


def test_catalogue_covers_every_kind_the_issue_names():
    kinds = {c.kind for c in catalogue(big=True)}
    for k in ("truncated gzip", "truncated WARC", "HTML with 10,000 nested tags", "huge single line",
              "zip bomb inside an archive", "wrong encoding: text page"):
        assert k in kinds
    names = " ".join(c.name for c in CASES)
    for enc in ("windows-1256", "ISO-8859-6", "UTF-16 LE with BOM", "UTF-16 LE without BOM", "UTF-16 BE without BOM"):
        assert enc in names
