"""Property-based requests generated from /openapi.json by schemathesis against the running server:
no generated request, valid or not, may produce a 5xx (and every error keeps the one JSON shape).

Bounded: a fixed number of examples per operation and mode, so the whole test stays well under a minute."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402

EXAMPLES = 20


def _operations(live):
    schema = schemathesis.openapi.from_url(live.url + "/openapi.json")
    ops = []
    for result in schema.get_all_operations():
        ops.append(result.ok())
    return ops


@pytest.mark.slow
def test_no_server_errors_on_generated_requests(live):
    from schemathesis import GenerationMode

    ops = _operations(live)
    assert len(ops) >= 15
    failures: list[str] = []
    seen = {"requests": 0}
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                strategy = op.as_strategy(generation_mode=mode)
            except Exception as e:  # noqa: BLE001 - an operation with nothing to negate
                failures.append(f"{op.label} {mode}: cannot generate: {e}") if mode == GenerationMode.POSITIVE \
                    else None
                continue

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case):
                resp = case.call(base_url=live.url, timeout=20)
                seen["requests"] += 1
                if resp.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} {case.query} -> {resp.status_code} "
                                    f"{resp.text[:200]}")
                elif resp.status_code >= 400:
                    body = resp.json()
                    assert set(body) == {"error"} and body["error"]["status"] == resp.status_code, body

            try:
                run()
            except Unsatisfiable:
                if mode == GenerationMode.POSITIVE:
                    raise
                # nothing in this operation can be made invalid (no parameters): fine
    assert not failures, "\n".join(failures[:20])
    assert seen["requests"] > 100
