"""Latin names from attested spellings (arabic-name-romanizer's dictionary) before the rules (marsad.entities.names)."""

from __future__ import annotations

import multiprocessing

import pytest

from marsad.data import Article
from marsad.entities import names
from marsad.entities.names import has_arabic, romanize
from marsad.stages import default_pipeline

pytest.importorskip("arabic_name_romanizer", reason="needs the names extra (pip install 'marsad[names]')")

# a made-up surname no dictionary attests: its spelling must come from marsad's rules
MADE_UP = "زرقلوطي"


def test_attested_spellings_win_over_the_rules():
    # the romanizer's own documented example; the rules alone spell the first name Mahmed
    assert romanize("محمد سمير") == "Mohamed Samir"
    assert romanize("محمد سمير", rules_only=True) != "Mohamed Samir"


def test_a_word_the_dictionary_lacks_is_spelt_by_the_rules_and_particles_stay_particles():
    out = romanize(f"خالد بن {MADE_UP}").split()
    assert out[1] == "bin"  # not the start of a surname the dictionary knows (Ben-…)
    assert out[2] == romanize(MADE_UP, rules_only=True)
    assert out[0] == romanize("خالد").split()[0] and not has_arabic(" ".join(out))


def _in_child(q):
    names._token_attested.cache_clear()
    q.put(romanize("محمد سمير"))


def test_the_dictionary_works_in_a_forked_worker():
    assert romanize("محمد سمير") == "Mohamed Samir"  # opened in this process first
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_in_child, args=(q,))
    p.start()
    p.join(60)
    assert p.exitcode == 0 and q.get(timeout=5) == "Mohamed Samir"


def test_the_stage_spells_unknown_people_from_the_dictionary_and_other_names_by_rules():
    art = default_pipeline(upto="entities").process(
        Article.new("قال المحامي محمد سمير إن شركة زرقلوطي للتجارة رفعت دعوى أمام المحكمة.")
    )
    per = next(e for e in art.entities if e.type == "PER")
    assert per.attrs["name_latin"] == "Mohamed Samir"
    for e in art.entities:
        if e.type != "PER" and has_arabic(e.name):
            assert e.attrs["name_latin"] == romanize(e.name, rules_only=True)
