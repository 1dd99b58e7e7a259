"""The curated place table (``geo/data/places.tsv``) holds ordinary place names only: every Arabic name of every row
occurs in at least 5 articles of the unlabelled ANT corpus outside the gold sets (the same rule as the event cue
lexicon's), so no row is a name read off a gold article."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from marsad.geo.gazetteer import CURATED_PATH, _read_curated, ar_key

MIN_ARTICLES = 5
# a proclitic pair before the article (وال، بال، فال، كال، لل …): dropped with it, so بالحجاز counts as الحجاز
_CLITIC_AL = re.compile(r"(?<!\S)(?:و|ف)?(?:ب|ك|ل)?ال(?=\S)|(?<!\S)(?:و|ف)?لل(?=\S)")


def text_key(text: str) -> str:
    """The article's text as the index keys names: normalised, ال and the proclitics before it dropped."""
    return " " + ar_key(_CLITIC_AL.sub("ال", text)) + " "


def article_counts(texts: Iterable[str], names: Iterable[str], *, stop_at: int = MIN_ARTICLES) -> dict[str, int]:
    """In how many of ``texts`` each name occurs (counting stops at ``stop_at``)."""
    keys = {n: f" {ar_key(n)} " for n in names}
    counts = dict.fromkeys(keys, 0)
    for raw in texts:
        # with the proclitics before ال dropped, and as written (a name that starts like one: بالي)
        t = text_key(raw) + " " + ar_key(raw) + " "
        for n, k in keys.items():
            if counts[n] < stop_at and k in t:
                counts[n] += 1
        if all(c >= stop_at for c in counts.values()):
            break
    return counts


@pytest.mark.slow
def test_every_curated_name_is_ordinary(non_gold_ant_texts):
    names = {a for row in _read_curated(CURATED_PATH) for a in row["ar"].split("|") if a}
    counts = article_counts(non_gold_ant_texts(), names)
    rare = sorted(n for n, c in counts.items() if c < MIN_ARTICLES)
    assert not rare, f"curated place names found in fewer than {MIN_ARTICLES} unlabelled articles: {rare}"


def test_text_key_drops_the_article_and_its_proclitics():
    assert text_key("وصلت القوات بالحجاز ثم للمدينة") == f" {ar_key('وصلت القوات الحجاز ثم المدينة')} "


@pytest.mark.slow
def test_a_bare_name_the_table_gives_a_region_is_the_news_reading(non_gold_ant_texts, gaz):
    """A curated row that lists a bare name a town of its country also has (غزة: the Gaza Strip and Gaza city;
    صعدة: the governorate and its seat) takes that name from the town (resolve: the town rule spares it), so the
    news must name the region with its head noun (قطاع غزة، محافظة صعدة) at least twice as often as the town
    (مدينة غزة، مدينة صعدة)."""
    checks = []
    for row in _read_curated(CURATED_PATH):
        names = [a for a in row["ar"].split("|") if a]
        for a in names:
            k = ar_key(a)
            if " " in k or not any(
                p.feature_class == "P" and p.population >= 10_000 and p.country_iso3 == (row["country"] or None)
                for p in gaz.lookup_ar(a)
            ):
                continue
            headed = [n for n in names if n != a and k in ar_key(n).split()]
            assert headed, f"{row['slug']}: bare {a} without a headed form to weigh it against"
            checks.append((row["slug"], a, headed))
    assert checks  # the table does give bare names (غزة)
    queries = {n for _, a, headed in checks for n in (*headed, f"مدينة {a}")}
    counts = article_counts(non_gold_ant_texts(), queries, stop_at=10**9)
    weak = [(slug, a) for slug, a, headed in checks if max(counts[n] for n in headed) < 2 * counts[f"مدينة {a}"]]
    assert not weak, f"bare names the news reads as the town more than half as often: {weak}"
