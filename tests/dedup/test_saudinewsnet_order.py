"""Acceptance, on a slice: SaudiNewsNet read by the real reader into the real store, two days in two orders and
twice over, gives the same copy groups and stories. (The full run over both zips with the whole pipeline is the
command in docs/dedup.md; it takes minutes, this slice seconds.)"""

from __future__ import annotations

import itertools

from marsad.data import Article
from marsad.dedup import groups
from marsad.stages import default_pipeline
from marsad.store import Store


def _day(shared, name, n):
    from marsad.readers import read_paths

    items = read_paths([str(shared / "data" / "saudinewsnet" / name)], fmt="saudinewsnet")
    return [a for a in itertools.islice((x for x in items if isinstance(x, Article)), n)]


def test_two_orders_twice_same_groups(shared, tmp_path):
    d10, d11 = _day(shared, "2015-08-10.zip", 250), _day(shared, "2015-08-11.zip", 250)
    pipe = default_pipeline(upto="clean")
    with Store(tmp_path / "a.db") as a:
        a.ingest(d10, pipeline=pipe)
        a.ingest(d11, pipeline=pipe)
        a.ingest(d10 + d11, pipeline=pipe)  # twice: nothing changes
        ga = groups(a.conn)
        sa = a.conn.execute("SELECT * FROM stories ORDER BY id").fetchall()
    with Store(tmp_path / "b.db") as b:
        b.ingest(list(reversed(d11)), pipeline=pipe)
        b.ingest(list(reversed(d10)), pipeline=pipe)
        gb = groups(b.conn)
        sb = b.conn.execute("SELECT * FROM stories ORDER BY id").fetchall()
    assert ga == gb
    assert [tuple(r) for r in sa] == [tuple(r) for r in sb]
    assert any(len(g) > 1 for g in ga["dup_group"]), "the slice should hold wire copies"
