"""The cue lexicon holds ordinary news vocabulary, not phrases of the gold texts, and its loader refuses keys that
can never match (the normalised alphabet) and categories outside PLOVER's current 16."""

from __future__ import annotations

import re

import pytest

from marsad.dedup.text import norm_text
from marsad.events.lexicon import LexiconError, load_cues, parse_cues

MIN_ARTICLES = 5
_PRO = r"(?:و|ف|ب|ل|ال|وال|بال|فال|لل|ولل)?"


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    s = r"(?<!\S)" + _PRO + re.escape(words[0]) + r"\S*"
    i = 1
    while i < len(words):
        if words[i] == "~":  # "a ~ b": b within 3 words after a
            s += r"(?:\s+\S+){0,3}?\s+" + _PRO + re.escape(words[i + 1]) + r"\S*"
            i += 2
        else:
            s += r"\s+[\"«“]?" + _PRO + re.escape(words[i]) + r"\S*"
            i += 1
    return re.compile(s)


@pytest.mark.slow
def test_every_multiword_cue_is_ordinary_vocabulary(non_gold_ant_texts):
    """Each multi-word entry occurs in at least 5 articles of the unlabelled ANT corpus outside the gold sets."""
    entries = {e.words: _pattern(e.words) for e in load_cues() if len([w for w in e.words if w != "~"]) > 1}
    counts = dict.fromkeys(entries, 0)
    for raw in non_gold_ant_texts():
        text = norm_text(raw)
        for words, pat in entries.items():
            if counts[words] < MIN_ARTICLES and words[0] in text and pat.search(text):
                counts[words] += 1
        if all(n >= MIN_ARTICLES for n in counts.values()):
            break
    rare = sorted(" ".join(w) for w, n in counts.items() if n < MIN_ARTICLES)
    assert not rare, f"multi-word cues found in fewer than {MIN_ARTICLES} unlabelled articles: {rare}"


def test_loader_refuses_keys_that_cannot_match():
    with pytest.raises(LexiconError, match="normalised alphabet"):
        parse_cues("مؤتمر صحفي\tCONSULT\t\tn\tfact\tn")  # ؤ never survives normalisation
    with pytest.raises(LexiconError, match="current categories"):
        parse_cues("ندد\tDISAPPROVE\t\tq\tfact")  # retired name: the one PLOVER table has ACCUSE
    with pytest.raises(LexiconError, match="modes"):
        parse_cues("التقي\tCONSULT\tmeeting\tn\tfact")  # not a mode of the manual's list
    ok = parse_cues("اتصال هاتفي\tCONSULT\tphone\tb\tfact\tn")
    assert ok[0].cameo.startswith("04") and ok[0].quad == 1
