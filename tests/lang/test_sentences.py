from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.lang.ar import split_sentences


def test_basic_split_and_abbreviations():
    text = "قال الوزير إن الوضع خطير. وأضاف أن المفاوضات مستمرة؟ نعم! ونقلت وكالة أ.ف.ب الخبر."
    sents = [text[s.start : s.end] for s in split_sentences(text)]
    assert sents[0] == "قال الوزير إن الوضع خطير."
    assert sents[1] == "وأضاف أن المفاوضات مستمرة؟"
    assert sents[-1].startswith("ونقلت وكالة أ.ف.ب")


def test_decimal_is_not_an_end():
    text = "ارتفع النمو إلى 3.5 بالمئة هذا العام."
    assert len(split_sentences(text)) == 1


def test_long_run_on_is_cut_at_commas():
    clause = "وأكد الوزير أهمية التعاون بين البلدين في مجالات عديدة"
    text = "، ".join([clause] * 30) + "."
    sents = split_sentences(text, max_words=40)
    assert len(sents) > 3
    assert all(len(text[s.start : s.end].split()) <= 40 for s in sents)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابت ،.؟!؛\n\"»«د3")), max_size=300))
def test_sentences_are_ordered_disjoint_slices(s):
    spans = split_sentences(s, max_words=5)
    prev = 0
    for sp in spans:
        assert prev <= sp.start < sp.end <= len(s)
        assert s[sp.start : sp.end].strip() == s[sp.start : sp.end]
        prev = sp.end


def test_token_layer_sentence_end_reads_past_a_decimal_point():
    # the text layer's word pattern splits 3.5 into 3 . 5; the stop between two digits ends no sentence there
    from marsad.data import Article
    from marsad.lang.ar.textlayer import sentence_end, tokens_of

    text = "ارتفع النمو إلى 3.5 بالمئة هذا العام. وقال الوزير إن الوضع جيد."
    toks = tokens_of(Article(id="d", text=text, body=text), 0, len(text))
    end = sentence_end(toks, 0, len(toks))
    assert text[toks[end].start : toks[end].end] == "."
    assert text[: toks[end].end] == "ارتفع النمو إلى 3.5 بالمئة هذا العام."
    # a stop after a number that ends the sentence still ends it
    text2 = "بلغ العدد 35. وقال الوزير إن الوضع جيد."
    toks2 = tokens_of(Article(id="e", text=text2, body=text2), 0, len(text2))
    end2 = sentence_end(toks2, 0, len(toks2))
    assert text2[: toks2[end2].end] == "بلغ العدد 35."
