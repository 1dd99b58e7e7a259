"""The Ray executor under a local ``ray.init(num_cpus=2)``: exactly the records of the local executor.

One Ray session for the whole module (Ray start-up is slow on a 2-core machine)."""

from __future__ import annotations

import pytest
from exec_helpers import UPTO

from marsad.data import Article, Rejection
from marsad.executors import iter_keyed, read_results, run

ray = pytest.importorskip("ray", reason="the Ray executor needs: pip install 'marsad[ray]'")


@pytest.fixture(scope="module")
def ray_session():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


def _comparable(item: Article | Rejection):
    if isinstance(item, Rejection):
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
    local = list(iter_keyed(corpus_paths, workers=2, upto=UPTO))
    s = run(corpus_paths, out=tmp_path / "ray", executor="ray", workers=2, batch_size=8, upto=UPTO)
    got = sorted(read_results(tmp_path / "ray"), key=lambda kv: kv[0])
    assert [k for k, _ in got] == [k for k, _ in local]
    assert [_comparable(i) for _, i in got] == [_comparable(i) for _, i in local]
    assert s.inputs == len(local) and s.executor == "ray"
    assert s.articles == sum(isinstance(i, Article) for _, i in local)
    assert s.events == sum(len(i.events) for _, i in local if isinstance(i, Article))


def test_time_limit_applies_in_ray_actors(ray_session, tmp_path):
    # Ray actors run the UDF outside the main thread, where SIGALRM cannot reach: the watchdog must.
    import exec_helpers
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(exec_helpers)  # workers cannot import the tests folder
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("نص عادي" if i != 1 else "نص SLOW بطيء", encoding="utf-8")
    s = run([str(tmp_path / f"{i}.txt") for i in range(3)], out=tmp_path / "o", executor="ray", workers=2,
            pipeline_factory=exec_helpers.slow_pipeline)
    assert s.articles == 2 and s.rejections == 1
    [(_, rej)] = [(k, i) for k, i in read_results(tmp_path / "o") if isinstance(i, Rejection)]
    assert rej.code == "E_TIMEOUT" and rej.stage == "sleepy" and rej.raw == "نص SLOW بطيء"
