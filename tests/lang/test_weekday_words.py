"""One list of weekday names (lang/ar/data/weekdays_ar.tsv) serves the stages that keep a day out of a name or a
speaker phrase: the entity stop words, the quotes' speaker words and the speaker slot's time words."""

from marsad.lang.ar.dates import weekday_words
from marsad.lang.ar.normalize import normalize


def test_weekday_words_are_normalised_and_cover_the_variants():
    words = weekday_words()
    assert all(normalize(w) == w for w in words)
    for name in ("الإثنين", "الثلاثاء", "الثلاثا", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"):
        assert normalize(name) in words


def test_every_stage_list_holds_every_weekday():
    from marsad.entities.common import _STOP
    from marsad.quotes.cues import SPEAKER_WORDS
    from marsad.quotes.slot import _TIME_WORDS

    for words in (_STOP, SPEAKER_WORDS, _TIME_WORDS):
        assert weekday_words() <= set(words)
