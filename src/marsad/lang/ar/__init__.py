"""Arabic language data and rules (normalisation, tokens, sentences, dates, lexicons)."""

from marsad.lang.ar.normalize import Normalized, arabic_ratio, normalize, normalize_with_map
from marsad.lang.ar.sentences import split_sentences
from marsad.lang.ar.tokenize import Token, strip_clitics, tokenize

__all__ = [
    "Normalized", "Token", "arabic_ratio", "normalize", "normalize_with_map", "split_sentences", "strip_clitics",
    "tokenize",
]  # fmt: skip
