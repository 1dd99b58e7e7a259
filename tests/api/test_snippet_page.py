"""A result page's snippets through the lower-cased fold (``queries._fold_page``) equal the snippets of each body
folded alone and lowered by ``str.lower`` (the path every page took before, and still takes for a page holding
İ or Σ, whose lower case is not one character on its own or depends on the next letter)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.api.queries import PREFIX, _expand_regex, _fold_many, _make_snippet, make_snippets
from marsad.lang.ar.normalize import normalize


def reference(bodies: list[str], terms: list[str], width: int = 220) -> list[tuple[str, list[list[int]]]]:
    heads = [b[:PREFIX] if len(b) > PREFIX * 1.5 else b for b in bodies]
    ligatures = _expand_regex().search("".join(heads)) is not None
    return [_make_snippet(b, h, terms, width, _fold_many([h])[0], ligatures) for b, h in zip(bodies, heads, strict=True)]


# Arabic letters with hamza forms, harakat, tatweel, a ligature (ﻻ) and a lam-alef presentation form, Latin and
# Greek in both cases (İ, Σ and final ς included), digits, spaces and newlines
CHARS = list("ابتةىيأإآؤئءوفلكسمنرًٌَُّـﻻﻷ ABCDEabcdeİiIΣσςΑαΒβ0١\n")
BODY = st.text(alphabet=st.sampled_from(CHARS), max_size=400)
TERM = st.text(alphabet=st.sampled_from(list("ابتيولكسمنabcdeiσςαβ")), min_size=1, max_size=4)


@given(st.lists(BODY, min_size=1, max_size=6), st.lists(TERM, min_size=1, max_size=3), st.sampled_from([10, 40, 220]))
@settings(max_examples=400, deadline=None)
def test_page_snippets_equal_one_by_one(bodies, terms, width):
    assert make_snippets(bodies, terms, width=width) == reference(bodies, terms, width)


def _ant(limit: int) -> list[str]:
    path = Path(os.environ.get("MARSAD_SHARED") or Path(__file__).resolve().parents[3] / "shared")
    path = path / "data" / "unlabelled" / "ant-all-2018.jsonl.gz"
    if not path.exists():
        pytest.skip("ANT corpus not found under MARSAD_SHARED/data/unlabelled (set MARSAD_SHARED=/path/to/shared)")
    out: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line).get("text")
            if t:
                out.append(t)
            if len(out) >= limit:
                break
    return out


def test_page_snippets_equal_one_by_one_on_news():
    texts = _ant(600)
    words = [normalize(w) for t in texts[:50] for w in t.split()[::37] if len(w) > 2]
    for i in range(0, len(texts), 20):
        page = texts[i : i + 20]
        terms = [words[i % len(words)], words[(i * 7 + 3) % len(words)]]
        assert make_snippets(page, terms) == reference(page, terms)
