"""The dedup hook's per-batch ``prepare`` (features of a batch computed together, before its ``on_insert`` calls)
changes no row: the same tables as ``on_insert`` alone, through the real store, with edited copies of an article
in the same batch, a bad article and an evolved copy of a prepared one."""

from __future__ import annotations

import random
import sqlite3

import pytest

from marsad.dedup import hook as dedup_hook
from marsad.dedup.hook import DedupHook
from marsad.store import Store

from .synth import art, corpus, dump, ingest, text


def _plain(articles) -> dict[str, list[tuple]]:
    return dump(ingest(articles))


@pytest.mark.parametrize("batch_size", [1, 7, 200])
def test_store_batches_with_prepare_equal_on_insert_alone(tmp_path, batch_size):
    arts, _ = corpus()
    random.Random(batch_size).shuffle(arts)
    with Store(tmp_path / "s.db", hooks=[DedupHook()]) as st:
        st.add(arts, batch_size=batch_size)
        got = dump(st.conn)
    assert got == _plain(arts)
    assert got["dedup_links"], "the corpus has copies and stories: links are compared, not two empty tables"


def test_prepared_features_used_only_for_the_same_inputs(monkeypatch):
    rng = random.Random(3)
    t = text(rng, 150)
    a, b = art("a", t), art("b", t)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    hook = DedupHook()
    hook.migrate(conn)
    conn.execute("BEGIN")
    hook.prepare(conn, [a, b])
    calls = []
    real = dedup_hook.features
    monkeypatch.setattr(dedup_hook, "features", lambda x: calls.append(x.id) or real(x))
    hook.on_insert(conn, a.evolve(events=()))  # an evolved copy with the same text: the prepared features
    hook.on_insert(conn, b.evolve(body=t + " " + text(rng, 40)))  # another body: computed again from it
    conn.execute("COMMIT")
    assert calls == ["b"]
    n_words = dict(conn.execute("SELECT article_id, n_words FROM dedup_docs"))
    assert n_words["b"] > n_words["a"]


def test_an_article_failing_in_prepare_is_rejected_alone(tmp_path, monkeypatch):
    rng = random.Random(4)
    good, bad = art("good", text(rng, 120)), art("bad", text(rng, 120))
    real = dedup_hook.features

    def features(a):
        if a.id == "bad":
            raise ValueError("malformed layer")
        return real(a)

    monkeypatch.setattr(dedup_hook, "features", features)
    with Store(tmp_path / "s.db", hooks=[DedupHook()]) as st:
        s = st.add([bad, good])
        assert (s.stored, s.rejected) == (1, 1)
        assert [r[0] for r in st.conn.execute("SELECT article_id FROM dedup_docs")] == ["good"]
