"""MentionIndex.latest_org on a long document (issue 20): above ``_ORG_GRAMS_MIN`` mentions the heads are looked up
through a trigram index of the organisation mentions; the answers must equal the walk back over every mention, for
any ``back`` (below, at and above the indexed window) and while the speaker slot adds mentions."""

from __future__ import annotations

import random
from bisect import insort

from marsad.data import Article, Entity, Span
from marsad.lang.ar.normalize import normalize
from marsad.quotes import extract as X
from marsad.quotes.extract import MentionIndex


def _walk_back(ix: MentionIndex, text: str, head: str, back: int, before: int):
    return next(
        (it for it in reversed([x for x in ix.items if x[0] < before])
         if it[3] == "ORG" and head in normalize(text[max(0, it[0] - back) : it[1]])),
        None,
    )  # fmt: skip


def test_latest_org_trigram_index_equals_walk_back():
    rnd = random.Random(11)
    names = ["وزارة الخارجية", "وكالة الأنباء", "الشركة العامة", "وزارة الدفاع", "مجلس الأمن", "هيئة البثّ"]
    fillers = ["قال", "أعلنت", "صحيفة", "ذكرت", "اليوم", "في بيان", "ـ"]
    text, items = "", []
    for i in range(X._ORG_GRAMS_MIN + 200):
        name = rnd.choice(names)
        text += " ".join(rnd.sample(fillers, 2)) + " " + name + " أمس. "
        s = text.index(name, len(text) - len(name) - 10)
        items.append((s, s + len(name), f"e{i}", rnd.choice(["ORG", "ORG", "GPE", "PER"])))
    article = Article.new(text, id="t")
    rnd.shuffle(items)  # the mentions added later fall anywhere in the text
    ix = MentionIndex()
    first = X._ORG_GRAMS_MIN + 50
    ix.items.extend(sorted(items[:first]))
    heads = ["وزاره", "وكاله", "الشركه", "مجلس", "هييه", "بث", "صحيفه", "ذكرت", "اعلنت", "غايب"]
    for extra in items[first:]:
        for _ in range(3):
            head = rnd.choice(heads)
            back = rnd.choice([0, 3, len(head) + 3, X._ORG_GRAM_BACK, X._ORG_GRAM_BACK + 9])
            before = rnd.randrange(len(text))
            assert ix.latest_org(article, head, back, before) == _walk_back(ix, text, head, back, before)
        insort(ix.items, extra)  # what the speaker slot does
    assert ix._org_grams  # the index path ran


def test_per_article_tables_equal_the_scans_they_replace():
    from marsad.lang.ar.normalize import normalize
    from marsad.lang.ar.textlayer import paragraphs
    from marsad.quotes.extract import _bare_head_no_name
    from marsad.quotes.slot import names_nothing

    text = "أعلنت وزارة الدفاع أمس.\nوقالت الوزارة إن الجيش انسحب.\nوذكرت وكالة الأنباء أن الوفد وصل."
    ents = []
    for i, (name, typ) in enumerate([("وزارة الدفاع", "ORG"), ("وكالة الأنباء", "ORG"), ("الجيش", "ORG"),
                                     ("الوفد", "PER"), ("وزارة الدفاع", "GPE")]):  # fmt: skip
        s = text.index(name)
        ents.append(Entity(id=f"e{i % 4}", type=typ, name=name, mentions=(Span(s, s + len(name), "mention"),)))
    article = Article.new(text, id="t").evolve(entities=tuple(ents))
    ix = MentionIndex.of(article)
    by_id = ix.per_article(article, "entities")
    assert all(by_id[e.id] is article.entity(e.id) for e in article.entities)  # the first of a repeated id
    assert ix.per_article(article, "paragraphs") == paragraphs(article)
    def scanned(word: str) -> bool:  # the scan of every organisation mention that the table replaced
        if not names_nothing(word):
            return False
        return not word.startswith("ال") or any(
            e.type == "ORG" and any(normalize(text[m.start : m.end]).split()[:1] == [word[2:]] for m in e.mentions)
            for e in article.entities
        )

    for word in ("الوزاره", "الوكاله", "الجيش", "الوفد", "الشرطه", "وزاره"):
        assert _bare_head_no_name(article, word, ix) == scanned(word)
    other = article.evolve(entities=())
    assert ix.per_article(other, "entities") == {}  # another article: its own tables
