"""marsad.gcpause: the cyclic collector is off inside the block and back as it was after (also on an error)."""

from __future__ import annotations

import gc

import pytest

from marsad.gcpause import cyclic_gc_paused


def test_paused_inside_and_restored_after():
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with cyclic_gc_paused():  # nested: the inner block leaves it off for the outer one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_error():
    with pytest.raises(ValueError), cyclic_gc_paused():
        raise ValueError("stage failed")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_stages_leave_the_collector_on():
    from marsad.data import Article
    from marsad.stages import build_stages

    art = Article.new("قال وزير الخارجية إن المحادثات ستستمر.\n\nوأضاف أن الوفد سيعود الأسبوع المقبل.", id="t")
    for st in build_stages():
        art = st(art)
        assert gc.isenabled(), st.name
