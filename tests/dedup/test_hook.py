"""The dedup hook on a plain SQLite connection and on the real store: links, groups, order independence,
idempotence, persistence across reopen, round-ups."""

from __future__ import annotations

import random

import pytest

from marsad.dedup import describe, groups, list_stories, story

from .synth import art, corpus, dump, ingest, text


def _links(conn, kind):
    return {frozenset(r) for r in conn.execute("SELECT a, b FROM dedup_links WHERE kind = ?", (kind,))}


def test_expected_links():
    arts, exp = corpus()
    conn = ingest(arts)
    dups = _links(conn, "dup")
    assert exp["dup"] <= dups
    assert exp["part"] <= _links(conn, "part")
    assert exp["story"] <= _links(conn, "story")
    linked = set().union(*dups, *_links(conn, "part"), *_links(conn, "story"))
    assert not any(a.startswith("u") for a in linked), "unrelated filler must not be linked"
    assert "empty" not in linked


def test_wire_original_and_reprints():
    arts, _ = corpus()
    conn = ingest(arts)
    d = describe(conn, "w2r1")
    assert d["original"] == "w2" and d["is_original"] is False and d["agency"] == "SPA"
    assert {c["id"] for c in d["copies"]} == {"w2", "w2r0"}
    assert describe(conn, "w2")["is_original"] is True


def test_roundup_does_not_chain_items():
    arts, _ = corpus()
    conn = ingest(arts)
    st = {r[0]: r[1] for r in conn.execute("SELECT article_id, story FROM dedup_docs")}
    assert st["w0"] != st["w1"], "a round-up holding two items must not merge their stories"
    assert st["roundup"] in (st["w0"], st["w1"])
    d = describe(conn, "roundup")
    assert {x["id"] for x in d["contains"]} >= {"w0", "w1"}
    assert d["copies"] == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_order_independence(seed):
    arts, _ = corpus()
    base = groups(ingest(arts))
    shuffled = list(arts)
    random.Random(seed).shuffle(shuffled)
    assert groups(ingest(shuffled)) == base
    assert groups(ingest(list(reversed(arts)))) == base
    c1, c2 = ingest(arts), ingest(shuffled)
    assert dump(c1)["stories"] == dump(c2)["stories"]  # ids, titles, spans, sizes too


def test_idempotent_reinsert():
    arts, _ = corpus()
    conn = ingest(arts)
    before = dump(conn)
    ingest(arts[:5] + arts[-3:], conn)  # same articles again
    assert dump(conn) == before


def test_story_view_and_events_counted_once():
    from marsad.data import Entity, Event, Span

    arts, _ = corpus()
    ent = (
        Entity("e1", "PER", "Salman", (Span(0, 3),), actor_id="SAU_K"),
        Entity("e2", "GPE", "Qatar", (Span(0, 3),)),
    )
    ev = Event("v1", "CONSULT", Span(0, 3), source=("e1",), target=("e2",), date="2015-08-10")
    arts = [a.evolve(entities=ent, events=(ev,)) if a.id.startswith("w3") else a for a in arts]
    conn = ingest(arts)
    sid = conn.execute("SELECT story FROM dedup_docs WHERE article_id = 'w3'").fetchone()[0]
    s = story(conn, sid)
    assert s["n_articles"] == 3 and s["n_sources"] == 3 and s["n_copy_groups"] == 1
    assert len(s["events"]) == 1
    e = s["events"][0]
    assert (e["type"], e["source"], e["target"], e["num_articles"], e["num_sources"]) == (
        "CONSULT",
        "SAU_K",
        "Qatar",
        3,
        3,
    )
    listed = {x["id"] for x in list_stories(conn)}
    assert sid in listed


def test_persistence_across_reopen(tmp_path):
    from marsad.store import Store

    rng = random.Random(5)
    t = text(rng, 150)
    path = tmp_path / "m.db"
    with Store(path) as st:
        assert "dedup" in [h.name for h in st.hooks]
        st.add([art("orig", t, source="was"), art("other", text(rng, 150))])
    with Store(path) as st:  # a new process would see the same: the index is in the file
        st.add([art("copy", t.replace(".", " .", 3), source="paper", published="2015-08-12")])
        d = describe(st.conn, "copy")
    assert d["original"] == "orig"
    assert [c["id"] for c in d["copies"]] == ["orig"]
    assert d["copies"][0]["jaccard"] > 0.8


def test_rollback_keeps_index_consistent(tmp_path):
    """The index rows are written in the store's transaction: an aborted batch leaves no trace of its articles."""
    from marsad.store import Store

    rng = random.Random(9)
    t = text(rng, 150)
    path = tmp_path / "m.db"
    with Store(path) as st:
        st.add([art("a", t)])
        conn = st.conn
        conn.execute("BEGIN IMMEDIATE")
        st.hooks[0].on_insert(conn, art("b", t))
        conn.execute("ROLLBACK")
        assert conn.execute("SELECT COUNT(*) FROM dedup_docs").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM dedup_links").fetchone()[0] == 0
        st.add([art("b", t)])
        assert describe(conn, "b")["original"] == "a"


def test_near_duplicates_lookup_agrees_with_hook():
    from marsad.dedup.hook import near_duplicates

    arts, _ = corpus()
    conn = ingest([a for a in arts if a.id != "w4r1"])
    probe = next(a for a in arts if a.id == "w4r1")
    found = {cid for cid, _ in near_duplicates(conn, probe)}
    assert found == {"w4", "w4r0"}
    assert conn.execute("SELECT COUNT(*) FROM dedup_docs WHERE article_id = 'w4r1'").fetchone()[0] == 0


def test_reindex_rebuilds_same_groups_and_version_guard(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main
    from marsad.errors import ConfigError
    from marsad.store import Store

    arts, _ = corpus()
    path = tmp_path / "m.db"
    with Store(path) as st:
        st.add(arts)
        before = groups(st.conn)
        st.conn.execute("UPDATE dedup_meta SET value = 'old' WHERE key = 'features'")
    with Store(path) as st:
        hook = st.hooks[0]
        with pytest.raises(ConfigError, match="reindex"):
            hook.on_insert(st.conn, art("late", text(random.Random(3), 100)))
    r = CliRunner().invoke(main, ["stories", "--db", str(path), "--reindex"])
    assert r.exit_code == 0, r.output
    assert f"reindexed {len(arts)} articles" in r.output
    with Store(path) as st:
        assert groups(st.conn) == before
        assert st.conn.execute("SELECT value FROM dedup_meta WHERE key = 'features'").fetchone()[0] != "old"


def test_story_rule_templates_and_figures():
    from marsad.dedup.hook import PairScore

    def ps(**kw):
        base = dict(
            jaccard=0.1, containment=0.2, overlap_large=0.1, cosine=0.5, title=0.0, within_window=True
        )
        return PairScore(**{**base, **kw})

    assert ps().is_story()
    assert not ps(same_day=False).is_story()  # next day: a daily template reads alike, more is asked
    assert ps(same_day=False, cosine=0.6).is_story()
    assert not ps(figures_conflict=True, cosine=0.9).is_story()  # figure-heavy texts sharing no figure
    assert not ps(within_window=False, cosine=0.9).is_story()
    assert ps(containment=0.9, cosine=0.9, within_window=False).is_story()  # a copy is the same story anyway
