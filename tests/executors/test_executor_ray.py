"""The Ray executor under a local ``ray.init(num_cpus=2)``: exactly the records of the local executor.

One Ray session for the whole module (Ray start-up is slow on a 2-core machine)."""

from __future__ import annotations

import pytest
from exec_helpers import UPTO

from marsad.data import Article, Rejection
from marsad.executors import iter_keyed, read_results, run

ray = pytest.importorskip("ray", reason="the Ray executor needs: pip install 'marsad[ray]'")
TIME_LIMIT = 4.0  # far above a normal article (~0.02 s), far below the pathological page


@pytest.fixture(scope="module")
def ray_session():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


def _comparable(item: Article | Rejection):
    if isinstance(item, Rejection):
        if item.code == "E_TIMEOUT":  # which stage the clock ran out in depends on the machine's speed
            return ("rej", item.code, item.source, len(item.raw or ""))
        return ("rej", item.stage, item.code, item.source, item.reason)
    return (
        "art", item.id, item.title, item.published, item.body,
        {k: [(s.start, s.end, s.label) for s in v] for k, v in item.layers.items()},
        [(e.id, e.type, e.name, e.actor_id, [(m.start, m.end) for m in e.mentions]) for e in item.entities],
        [(q.id, q.kind, q.content.start, q.content.end, q.speaker) for q in item.quotes],
        [(ev.id, ev.type, ev.source, ev.target, ev.evidence.start, ev.evidence.end, ev.date) for ev in item.events],
        item.to_json(),
    )  # fmt: skip


def test_ray_yields_the_local_executors_records(ray_session, corpus_paths, tmp_path):
    # One pathological page rides along: Ray actors run the UDF outside the main thread, where SIGALRM cannot
    # reach, so this also checks the pipeline's watchdog time limit inside Ray.
    slow = tmp_path / "slow.txt"
    slow.write_text("كلمة " * 1_500_000, encoding="utf-8")
    paths = [*corpus_paths, str(slow)]
    local = list(iter_keyed(paths, workers=2, upto=UPTO, time_limit=TIME_LIMIT))
    s = run(paths, out=tmp_path / "ray", executor="ray", workers=2, batch_size=8, upto=UPTO, time_limit=TIME_LIMIT)
    got = sorted(read_results(tmp_path / "ray"), key=lambda kv: kv[0])
    assert [k for k, _ in got] == [k for k, _ in local]
    assert [_comparable(i) for _, i in got] == [_comparable(i) for _, i in local]
    assert s.inputs == len(local) and s.executor == "ray"
    assert s.articles == sum(isinstance(i, Article) for _, i in local)
    assert s.events == sum(len(i.events) for _, i in local if isinstance(i, Article))
    timeout = got[-1][1]
    assert isinstance(timeout, Rejection) and timeout.code == "E_TIMEOUT" and timeout.source == str(slow)
    assert f"{TIME_LIMIT:g}s" in timeout.reason
