"""Position indexes against the scans they replace (issue 20): same answers, same order, on random spans."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.intervals import IntervalIndex, SpanSet
from marsad.quotes.extract import MentionIndex

SPANS = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 30)).map(lambda x: (x[0], x[0] + x[1])), max_size=60
)
QUERY = st.tuples(st.integers(-5, 240), st.integers(0, 60)).map(lambda x: (x[0], x[0] + x[1]))


@settings(max_examples=300, deadline=None)
@given(SPANS, QUERY)
def test_interval_index_equals_scans(spans, q):
    a, b = q
    ix = IntervalIndex(spans, lambda s: s[0], lambda s: s[1])
    assert ix.overlapping(a, b) == [s for s in spans if s[0] < b and s[1] > a]
    assert ix.containing(a) == [s for s in spans if s[0] <= a < s[1]]
    assert ix.starting_in(a, b) == [s for s in spans if a <= s[0] < b]
    assert ix.within(a, b) == [s for s in spans if s[0] >= a and s[1] <= b]
    assert ix.starting_in_or_containing(a, b) == [s for s in spans if a <= s[0] < b or s[0] <= a < s[1]]


@settings(max_examples=300, deadline=None)
@given(SPANS, st.lists(QUERY, max_size=10))
def test_span_set_equals_scan_as_it_grows(spans, queries):
    grown = SpanSet()
    have: list[tuple[int, int]] = []
    for (s, e), (a, b) in zip(spans, queries * 6 or [(0, 0)] * len(spans), strict=False):
        grown.add(s, e)
        have.append((s, e))
        assert grown.overlaps(a, b) == any(x < b and a < y for x, y in have)


@settings(max_examples=200, deadline=None)
@given(SPANS, QUERY)
def test_mention_index_queries_equal_scans(spans, q):
    a, b = q
    ix = MentionIndex()
    ix.items.extend(sorted((s, e, f"e{i}", "PER") for i, (s, e) in enumerate(spans)))
    ix.coref.extend(sorted((s, e, (f"e{i}",)) for i, (s, e) in enumerate(spans)))
    assert ix.in_range(a, b) == [it for it in ix.items if it[0] >= a and it[1] <= b]
    assert ix.coref_in(a, b) == [c for c in ix.coref if c[0] >= a and c[1] <= b]
    assert ix.overlaps(a, b) == any(x < b and a < y for x, y, _e, _t in ix.items)


def test_role_lookup_equals_scan_with_many_roles():
    rnd = random.Random(7)
    words = [
        "وزير",
        "الخارجيه",
        "رئيس",
        "الوزراء",
        "نائب",
        "مدير",
        "عام",
        "الشركه",
        "سفير",
        "لدي",
        "امين",
        "مجلس",
    ]
    for n_roles in (10, 200):  # the plain scan below 64 roles, the substring table above
        ix = MentionIndex()
        for i in range(n_roles):
            ix.roles.append((" ".join(rnd.sample(words, rnd.randint(1, 3))), f"e{i}"))
        for _ in range(300):
            phrase = " ".join(rnd.choices(words, k=rnd.randint(1, 6)))
            want = next(
                (
                    eid
                    for role, eid in ix.roles
                    if role and len(role) > 3 and (role == phrase or role in phrase)
                ),
                None,
            )
            assert ix.role_in(phrase) == want


def test_latest_org_equals_walk_back_as_mentions_are_added():
    from bisect import insort

    from marsad.data import Article
    from marsad.lang.ar.normalize import normalize

    rnd = random.Random(3)
    names = ["وزارة الخارجية", "وكالة الأنباء", "الشركة العامة", "وزارة الدفاع", "مجلس الأمن"]
    text, items = "", []
    for i in range(120):
        name = rnd.choice(names)
        text += "قال " + name + " اليوم. "
        s = text.index(name, len(text) - len(name) - 10)
        items.append((s, s + len(name), f"e{i}", rnd.choice(["ORG", "ORG", "GPE"])))
    article = Article.new(text, id="t")
    ix = MentionIndex()
    ix.items.extend(sorted(items[:80]))
    for extra in items[80:]:
        for head in ("وزاره", "وكاله", "الشركه", "مجلس"):
            before = rnd.randrange(len(text))
            want = next(
                (it for it in reversed([x for x in ix.items if x[0] < before])
                 if it[3] == "ORG" and head in normalize(text[max(0, it[0] - 3) : it[1]])),
                None,
            )  # fmt: skip
            assert ix.latest_org(article, head, 3, before) == want
        insort(ix.items, extra)  # what the speaker slot does
