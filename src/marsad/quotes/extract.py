"""Quotation and reported-speech extraction for Arabic news.

Rules, not a model: Arabic news attributes speech with a small closed set of reporting verbs (قال، أكد، أضاف …) in
a few fixed frames — ``CUE SPEAKER (circumstance) أن/إن CONTENT``, ``CUE SPEAKER: "CONTENT"``, ``…، مشيرا إلى أن
CONTENT``, ``وتابع أن CONTENT`` (speaker implied) — so a cue lexicon plus speaker resolution through the entity
layer is both accurate and fast (no maintained Arabic attribution library exists to reuse). The text is matched
in normalised form (:mod:`marsad.lang.ar.normalize`) and every offset is mapped back to ``article.text``.

A paragraph is the unit: quotation marks are paired inside it first, so that a quoted passage that runs over a
full stop stays one quote and reporting verbs inside it start nothing new (a quote inside a reported statement
stays inside it).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, SupportsIndex

from marsad.data import Article, Entity, Quote, Span, content_hash
from marsad.intervals import SpanSet
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.textlayer import PUNCT_END as _PUNCT_END
from marsad.lang.ar.textlayer import Tok, paragraphs, sentence_end, tokens_of
from marsad.quotes import cues as C
from marsad.quotes.slot import (
    CALLED,
    STATE_NOUNS,
    Proposal,
    human_plural,
    names_nothing,
    org_noun_phrase,
    unnamed_source,
    unnamed_subject,
)

_WORD = re.compile(r"[^\W_]+(?:[-_][^\W_]+)*|[#@][^\W]+|\S", re.UNICODE)
_CLAUSE_PUNCT = set("،,؛;:.!?؟-–—")


def _cue_table() -> dict[str, tuple[str, bool]]:
    """normalised form -> (lemma, is_participle)"""
    table: dict[str, tuple[str, bool]] = {}
    for lemma, (finite, parts, _prep) in C.VERBS.items():
        for f in finite:
            table[f] = (lemma, False)
        for p in parts:
            table[p] = (lemma, True)
    return table


CUE_FORMS = _cue_table()
_PREP = {lemma: prep for lemma, (_f, _p, prep) in C.VERBS.items()}
_COMP = set(C.COMPLEMENTISERS)
_SPEAKER_WORDS = set(C.SPEAKER_WORDS)
_BREAKS = set(C.BREAKS)
_PREPS = {"مع", "في", "من", "علي", "الي", "عن", "حول", "بعد", "قبل", "ضد", "لدي"}
_first = itemgetter(0)




class _Mentions(list[tuple[int, int, str, str]]):
    """The mention list, remembering its longest span (``reach``) as mentions are added: ``bisect.insort`` on a list
    subclass goes through ``insert``, so mentions the speaker slot adds later keep it right without a rescan."""

    __slots__ = ("reach", "added")

    def __init__(self, items: Iterable[tuple[int, int, str, str]] = ()) -> None:
        super().__init__(items)
        self.reach = max((x[1] - x[0] for x in self), default=0)
        self.added: list[tuple[int, int, str, str]] = []  # mentions added after construction, in order

    def insert(self, i: SupportsIndex, x: tuple[int, int, str, str]) -> None:
        super().insert(i, x)
        self.reach = max(self.reach, x[1] - x[0])
        self.added.append(x)

    def append(self, x: tuple[int, int, str, str]) -> None:
        super().append(x)
        self.reach = max(self.reach, x[1] - x[0])
        self.added.append(x)

    def extend(self, xs: Iterable[tuple[int, int, str, str]]) -> None:
        for x in xs:
            self.append(x)


@dataclass(slots=True)
class MentionIndex:
    """Entity mentions, coref spans and role spans of an article, by offset."""

    items: list[tuple[int, int, str, str]] = field(default_factory=_Mentions)  # start, end, entity id, type
    coref: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)  # normalised role text, entity id
    nisba: dict[str, str] = field(default_factory=dict)  # normalised nisba (no ال) -> GPE entity id
    types: dict[str, str] = field(default_factory=dict)
    _roles_at: tuple[int, dict[str, list[tuple[int, str, str]]]] = field(default=(-1, {}), repr=False, compare=False)
    _orgs: dict[tuple[str, int], tuple[int, list[tuple[int, int, str, str]]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _norms: dict[tuple[int, int], str] = field(default_factory=dict, repr=False, compare=False)
    # per window: [mentions of ``added`` seen, organisation mentions, trigram of their normalised text -> positions]
    _org_grams: dict[int, list] = field(default_factory=dict, repr=False, compare=False)
    # tables of one article built on first use (``per_article``), for the article they were built from
    _memo: list = field(default_factory=lambda: [None, {}], repr=False, compare=False)

    @classmethod
    def of(cls, article: Article) -> MentionIndex:
        ix = cls()
        items: list[tuple[int, int, str, str]] = []  # a plain list while filling (appends stay in C), then sorted
        for ent in article.entities:
            ix.types[ent.id] = ent.type
            for m in ent.mentions:
                items.append((m.start, m.end, ent.id, ent.type))
            for r in ent.roles:
                ix.roles.append((_strip_al(normalize(article.text[r.start : r.end])), ent.id))
            if ent.type in ("GPE", "LOC"):
                for m in ent.mentions:
                    for n in nisba_forms(normalize(article.text[m.start : m.end])):
                        ix.nisba.setdefault(n, ent.id)
                for n in _IRREGULAR_NISBA.get(ent.country or "", ()):
                    ix.nisba.setdefault(n, ent.id)
                    if n.endswith("ي"):
                        ix.nisba.setdefault(n + "ين", ent.id)
                        ix.nisba.setdefault(n + "ون", ent.id)
        items.sort()
        ix.items = _Mentions(items)
        for s in article.layer("coref"):
            ids = s.attrs.get("entity") or s.attrs.get("entities") or ()
            if isinstance(ids, str):
                ids = (ids,)
            if ids:
                ix.coref.append((s.start, s.end, tuple(ids)))
        ix.coref.sort()
        return ix

    # ``items`` and ``coref`` stay sorted (``of`` sorts them, later additions use ``bisect.insort``), so the
    # queries below bisect instead of scanning every mention: linear time on long articles (issue 20).

    def in_range(self, a: int, b: int) -> list[tuple[int, int, str, str]]:
        """Mentions inside ``[a, b]``, in offset order."""
        items = self.items
        i = bisect_left(items, (a,))
        j = bisect_right(items, b, lo=i, key=_first)
        return [it for it in items[i:j] if it[1] <= b]

    def coref_in(self, a: int, b: int) -> list[tuple[int, int, tuple[str, ...]]]:
        """Coref spans inside ``[a, b]``, in offset order."""
        cor = self.coref
        i = bisect_left(cor, (a,))
        j = bisect_right(cor, b, lo=i, key=_first)
        return [c for c in cor[i:j] if c[1] <= b]

    def role_in(self, phrase: str) -> str | None:
        """The entity of the first role (in ``roles`` order) longer than 3 characters that ``phrase`` contains. With
        many roles (a long document), the roles are looked up by their first four characters at each position of the
        phrase instead of trying every role of the article per phrase."""
        if len(self.roles) <= 64:  # few roles (any ordinary article): try each
            return next((eid for role, eid in self.roles if len(role) > 3 and role in phrase), None)
        if self._roles_at[0] != len(self.roles):
            table: dict[str, list[tuple[int, str, str]]] = {}
            for n, (role, eid) in enumerate(self.roles):
                if len(role) > 3:
                    table.setdefault(role[:4], []).append((n, role, eid))
            self._roles_at = (len(self.roles), table)
        table = self._roles_at[1]
        best: tuple[int, str, str] | None = None
        for i in range(len(phrase) - 3):
            for hit in table.get(phrase[i : i + 4], ()):
                if (best is None or hit[0] < best[0]) and phrase.startswith(hit[1], i):
                    best = hit
        return best[2] if best is not None else None

    def latest_org(self, article: Article, head: str, back: int, before: int) -> tuple[int, int, str, str] | None:
        """The last organisation mention (in ``items`` order) that starts before ``before`` and whose normalised text,
        from ``back`` characters before it, contains ``head``. The mentions matching each (head, back) are found
        once and kept sorted, mentions added later are checked as they come: a bisection per phrase instead of a
        walk back over every organisation mention."""
        items = self.items
        added = getattr(items, "added", None)
        if added is None:  # a plain list (replaced from outside): walk back
            for j in range(bisect_left(items, (before,)) - 1, -1, -1):
                it = items[j]
                if it[3] == "ORG" and head in self.norm_text(article, it[0] - back, it[1]):
                    return it
            return None
        key = (head, back)
        got = self._orgs.get(key)
        if got is None:
            found = self._orgs_containing(article, head, back, added)
            got = (len(added), found)
        elif got[0] != len(added):
            for it in added[got[0] :]:
                if it[3] == "ORG" and head in self.norm_text(article, it[0] - back, it[1]):
                    insort(got[1], it)
            got = (len(added), got[1])
        self._orgs[key] = got
        k = bisect_left(got[1], (before,))
        return got[1][k - 1] if k else None

    def _orgs_containing(
        self, article: Article, head: str, back: int, added: list[tuple[int, int, str, str]]
    ) -> list[tuple[int, int, str, str]]:
        """The organisation mentions whose normalised text from ``back`` characters before them contains ``head``,
        in ``items`` order (``added``: the mentions added to ``items`` since it was built). A long document asks
        for many heads: with many mentions, the organisation mentions are indexed once by the character trigrams
        of their text from ``_ORG_GRAM_BACK`` characters before them (a window that holds the one of any smaller
        ``back``: :func:`normalize` folds each character on its own), and a head is tested only against the
        mentions holding its rarest trigram, instead of every organisation mention per head (issue 20)."""
        items = self.items
        if len(items) < _ORG_GRAMS_MIN or len(head) < 3:
            return [it for it in items if it[3] == "ORG" and head in self.norm_text(article, it[0] - back, it[1])]
        span = max(back, _ORG_GRAM_BACK)
        got = self._org_grams.get(span)
        if got is None:
            got = self._org_grams[span] = [len(added), [], {}]
            new: Iterable[tuple[int, int, str, str]] = items
        else:
            new = added[got[0] :]
            got[0] = len(added)
        orgs: list[tuple[int, int, str, str]] = got[1]
        grams: dict[str, list[int]] = got[2]
        text = article.text
        for it in new:
            if it[3] == "ORG":
                w = normalize(text[max(0, it[0] - span) : it[1]])
                for g in {w[i : i + 3] for i in range(len(w) - 2)}:
                    grams.setdefault(g, []).append(len(orgs))
                orgs.append(it)
        post: list[int] | None = None
        for i in range(len(head) - 2):
            p = grams.get(head[i : i + 3])
            if p is None:
                return []
            if post is None or len(p) < len(post):
                post = p
        found = [orgs[k] for k in post or () if head in self.norm_text(article, orgs[k][0] - back, orgs[k][1])]
        found.sort()  # mentions added later come last in ``orgs``: back to offset order, as ``items`` is
        return found

    def per_article(self, article: Article, what: str) -> Any:
        """A table of ``article`` built once (the rules asked for it again at every phrase, each time a scan of
        the whole article: quadratic on a long document, issue 20). ``what``: "entities" (id -> the first entity
        with that id, as :meth:`Article.entity` finds it), "paragraphs" (:func:`paragraphs`), "org_heads" (the
        first normalised word of every organisation mention)."""
        if self._memo[0] is not article:  # (the memo holds the article, so ``is`` cannot meet a new one)
            self._memo[:] = [article, {}]
        memo: dict[str, Any] = self._memo[1]
        if what not in memo:
            if what == "entities":
                by_id: dict[str, Entity] = {}
                for e in article.entities:
                    by_id.setdefault(e.id, e)
                memo[what] = by_id
            elif what == "paragraphs":
                memo[what] = paragraphs(article)
            elif what == "org_heads":
                memo[what] = {
                    w[0] for e in article.entities if e.type == "ORG" for m in e.mentions
                    if (w := normalize(article.text[m.start : m.end]).split()[:1])
                }  # fmt: skip
            else:
                raise ValueError(what)
        return memo[what]

    def norm_text(self, article: Article, a: int, b: int) -> str:
        """``normalize(article.text[max(0, a):b])``, cached per span (names are read again for every phrase)."""
        key = (max(0, a), b)
        got = self._norms.get(key)
        if got is None:
            got = self._norms[key] = normalize(article.text[key[0] : b])
        return got

    def overlaps(self, a: int, b: int) -> bool:
        """Whether a mention shares a character with ``[a, b)`` (starts before ``b`` and ends after ``a``)."""
        items = self.items
        k = bisect_left(items, (b,)) - 1
        floor = a - self._reach()
        while k >= 0 and items[k][0] >= floor:
            if items[k][1] > a:
                return True
            k -= 1
        return False

    def _reach(self) -> int:
        """The longest mention (tracked by :class:`_Mentions`; computed when ``items`` was replaced by a list)."""
        reach = getattr(self.items, "reach", None)
        return reach if reach is not None else max((e - s for s, e, _i, _t in self.items), default=0)


# From this many mentions on, :meth:`MentionIndex._orgs_containing` looks heads up by trigram instead of testing
# every organisation mention (an ordinary article names far fewer).
_ORG_GRAMS_MIN = 256
_ORG_GRAM_BACK = 24

_IRREGULAR_NISBA = {
    "USA": ("امريكي", "اميركي", "امريكيه", "اميركيه"),
    "GBR": ("بريطاني", "بريطانيه"),
    "ARE": ("اماراتي", "اماراتيه"),
    "SAU": ("سعودي", "سعوديه"),
    "PRK": ("كوري", "كوريه"),
    "KOR": ("كوري", "كوريه"),
    "DEU": ("الماني", "المانيه"),
    "NLD": ("هولندي", "هولنديه"),
    "RUS": ("روس",),  # الدبلوماسيين الروس
}


def _strip_al(s: str) -> str:
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in s.split())


def nisba_forms(name_norm: str) -> set[str]:
    """Relational adjectives a country name yields (روسيا → روسي، الصين → صيني، السعودية → سعودي), without ال."""
    n = _strip_al(name_norm.strip())
    if " " in n or len(n) < 3:
        return set()
    outs = set()
    for base in (n, n[:-1] if n.endswith(("ا", "ه")) else None, n[:-2] if n.endswith(("يا", "يه")) else None):
        if base and len(base) >= 2:
            outs.add(base + "ي")
            outs.add(base + "يه")
            outs.add(base + "يين")  # plural: دبلوماسيين بريطانيين
            outs.add(base + "يون")
    return outs


def _bare(w: str) -> str:
    """Drop a conjunction proclitic و/ف (وقال → قال) when what remains is a cue form."""
    if w in CUE_FORMS:
        return w
    if len(w) > 3 and w[0] in "وف" and w[1:] in CUE_FORMS:
        return w[1:]
    return w


@dataclass(slots=True)
class Cue:
    i: int  # token index
    j: int  # token index after the cue (multiword cues: أعرب عن أمله)
    lemma: str
    participle: bool


def find_cues(toks: Sequence[Tok]) -> list[Cue]:
    out = []
    for i, t in enumerate(toks):
        if t.quoted >= 0 and t.norm not in C.QUOTE_PAIRS:
            continue
        w = _bare(t.norm)
        hit = CUE_FORMS.get(w)
        if not hit and w.endswith("ه") and _after_attribution(toks, i):
            hit = CUE_FORMS.get(w[:-1])  # بحسب ما قاله، وفقا لما ذكرته: the verb with the relative's pronoun
        if not hit:
            continue
        lemma, part = hit
        if not part and i > 0 and toks[i - 1].norm in _PREPS:
            continue  # مع رأي الحكومة: after a preposition the form is a noun, not a reporting verb
        if w in ("يذكر", "تذكر") and i + 1 < len(toks) and toks[i + 1].norm in _COMP:
            continue  # يذكر أن … 'it is worth noting that': impersonal, not an attribution
        if w in ("يذكر", "تذكر") and (i + 1 >= len(toks) or toks[i + 1].norm in _CLAUSE_PUNCT):
            continue  # لم يقع أي حادث يذكر، …: 'worth mentioning', an adjective clause with nothing reported
        if (
            i > 0 and toks[i - 1].norm in ("لم", "ولم", "لن", "ولن") and i + 1 < len(toks) and toks[i + 1].norm == "عن"
            and not any(x.norm in _COMP or x.norm == ":" for x in toks[i + 2 : i + 8])
        ):  # fmt: skip
            continue  # لم يعلن عن اسمه، لم تكشف عن سبب …: nothing was said, no statement
        if (
            not part and i > 0 and toks[i - 1].norm in _SUBJUNCTIVE and _present(w, lemma)
            and not (i > 1 and toks[i - 2].norm in _NARRATIVE)
        ):  # fmt: skip
            continue  # يجب أن تكشف الحكومة …، نريد أن نقول، لن يرى: what one may, should or will not say, no statement
            # (قبل أن يعلن، بعد أن يقول: a past event told in the present, which stays)
        if lemma == "أعلن" and not part and i + 1 < len(toks) and toks[i + 1].norm in ("حاله", "الحداد", "النفير"):
            continue  # أعلنت حالة الطوارئ، أعلن الحداد: a state declared, an act rather than a statement
        if lemma in (
            "عد",
            "بين",
            "عبر",
            "ذكر",
            "راي",
            "نقل",
            "قوله",
            "تابع",
            "جدد",
            "كتب",
            "أقر",
            "أبان",
            "جاء",
            "بقوله",
            "شدد",
            "أضاف",
        ) and not _plausible_ambiguous(toks, i, lemma):
            continue
        out.append(Cue(i, i + 1, lemma, part))
    return out


# Particles that put a present-tense verb in the subjunctive (أن، لن، كي): the verb reports nothing said
_SUBJUNCTIVE = frozenset({"ان", "وان", "لن", "ولن", "كي", "لكي"})
_NARRATIVE = frozenset({"قبل", "بعد", "وقبل", "وبعد", "منذ"})


def _present(w: str, lemma: str) -> bool:
    """A present-tense form of the cue (يعلن، تشير، تتعهد): it opens with the prefix ي, or with ت where the verb's
    past does not (تابع، تعهد: then تت…)."""
    past = C.VERBS[lemma][0][0] if C.VERBS[lemma][0] else ""
    return w[:1] == "ي" or w[:1] == "ت" and (not past.startswith("ت") or w[:2] == "تت")


def _plausible_ambiguous(toks: Sequence[Tok], i: int, lemma: str) -> bool:
    """Short cue forms are also common nouns/prepositions (عبر 'via', بين 'between', عد 'count'): accept them
    only in a reporting frame (followed soon by أن/إن, a colon, a quotation, or their preposition)."""
    window = [t.norm for t in toks[i + 1 : i + 14]]
    if lemma == "عبر":
        return bool(window) and window[0] == "عن" or any(w == "عن" for w in window[:6])
    if lemma == "قوله":
        return True
    if lemma == "نقل":
        return "عن" in window[:8]
    if lemma == "جاء":
        # جاء في بيان/رسالة/نص …، جاء فيه: only the words of a document (جاء الرد، جاء متأخرا … are not)
        if not window or not (window[0] in ("فيه", "فيها") or window[0] == "في" and any(
            w in C.DOCUMENTS or _strip_al(w) in C.DOCUMENTS for w in window[1:4]
        )):  # fmt: skip
            return False
    if lemma == "بقوله":
        window = window[:3]  # بقوله إن / بقوله: "…"
    if lemma == "بين" and not _bare(toks[i].norm).endswith("ت"):
        if toks[i].norm.startswith("و") and any(t.norm.startswith("بين") for t in toks[max(0, i - 4) : i]):
            return False  # بينه وبين فلان، بين الطرفين وبين …: the second half of 'between', no verb
        window = window[:6]  # بين is mostly 'between': only بين أن / وبين الوزير أن … is a cue (بينت is a verb)
    if lemma == "شدد":
        # شدد على / شدد الوزير على 'stressed'; شدد الحظر، حراسة مشددة 'tightened, tight': no statement
        for w in window[:8]:
            if w in ("علي", ":") or w in _COMP or w in C.QUOTE_PAIRS:
                return True
            if w in _PUNCT_END:
                return False
        return False
    for w in window:
        if w in _COMP or w == ":" or w in C.QUOTE_PAIRS:
            return True
        if w in _PUNCT_END:
            return False
    return False


def extract_quotes(article: Article, *, index: MentionIndex | None = None) -> list[Quote]:
    """The quotes of ``article``, every speaker an entity of ``article`` (no speaker-slot proposals: the quotes
    stage calls :func:`extract_quotes_and_speakers`, which adds them as entities)."""
    return extract_quotes_and_speakers(article, index=index, propose=False)[0]


def extract_quotes_and_speakers(
    article: Article, *, index: MentionIndex | None = None, propose: bool = True
) -> tuple[list[Quote], list[Entity]]:
    """The quotes of ``article`` and the speaker entities read from speaker slots that named no known entity
    (:mod:`marsad.quotes.slot`). ``index`` gains the proposed mentions."""
    from marsad.quotes.slot import SlotEntities

    ix = index or MentionIndex.of(article)
    paras = paragraphs(article)
    quotes: list[Quote] = []
    slot = SlotEntities(article, ix)
    # "contents": the quotes' content spans so far, for "does a quote hold this clause" by bisection
    state: dict = {"history": [], "slot": slot if propose else None, "contents": SpanSet(), "unnamed": []}
    for pa, pb in paras:
        toks = tokens_of(article, pa, pb)
        if not toks:
            continue
        cues = find_cues(toks)
        subj = sentence_subjects(article, toks, ix)
        for pos, desc in _sources_cited(toks):
            insort(state["unnamed"], (pos, desc))
        used_pairs: set[int] = set()
        for ci, cue in enumerate(cues):
            # the clause a cue governs ends at the first later cue that opens a clause of its own, not only at the
            # next cue (قال إن الوزير أعلن أمس أنه …، وأضاف أن …: أعلن inside the content opens none, وأضاف does)
            nxt = next((c.i for c in cues[ci + 1 :] if _clause_initial(toks, c.i)), len(toks))
            here = toks[cue.i].start
            while subj and subj[0][0] <= here:
                state["history"].append(subj.pop(0))
            q = _quote_at(article, toks, cue, nxt, ix, state, quotes)
            if _after_attribution(toks, cue.i):
                # … ، حسبما قال فلان: the clause before is what he said (بحسب ما قال فلان، فإن …: the one after)
                q = _attributed_before(article, toks, cue, ix, state, quotes) or q
            elif q is None and _postposed(toks, cue):
                # …، تقول صحيفة كذا.: a cue after a comma with its subject and nothing said after it: the clause
                # before is what was said
                q = _attributed_before(article, toks, cue, ix, state, quotes, head=cue.i)
            if q is None:
                if not cue.participle and cue.j < len(toks) and toks[cue.j].quoted < 0 and (
                    _strip_al(toks[cue.j].norm) in _UNNAMED_SUBJECTS
                ):  # fmt: skip
                    # وتحدثت مصادر محلية عن الهجوم، لكنها نفت …: a cue that reports nothing here still makes
                    # its unnamed subject the latest speaker a subjectless verb refers back to
                    insort(state["unnamed"], (here, toks[cue.j].norm))
                continue
            if q.kind == "direct":
                used_pairs.add(toks[_tok_at(toks, q.content.start)].quoted)
            quotes.append(q)
            state["contents"].add(q.content.start, q.content.end)
            if q.speaker and q.attrs.get("frame") != "attribution-after":
                # (a source named after حسبما is no subject a later وأضاف refers back to)
                state["history"].append((here, q.speaker))
            elif (
                not q.speaker and q.attrs.get("description") not in (None, "", "plural")
                and q.attrs.get("frame") != "attribution-after" and unnamed_source(str(q.attrs["description"]))
            ):  # fmt: skip
                # an unnamed source (قال مصدر …): a later وأضاف / مشيرا with no subject of its own is his again
                state["unnamed"].append((here, str(q.attrs["description"])))
        state["history"].extend(subj)
    quotes = _dedupe(quotes)
    used = {i for q in quotes for i in q.speaker}
    return quotes, [e for e in slot.entities() if e.id in used]


_CITING = frozenset({"حسب", "بحسب", "وبحسب", "وحسب", "وفق", "ووفق", "وفقا", "ووفقا"})


def _sources_cited(toks: Sequence[Tok]) -> list[tuple[int, str]]:
    """Unnamed sources a sentence cites for what it tells (وبحسب المصادر، فإن …؛ وفقا لمصادر محلية …): each as
    (the end of that sentence, the source's words). A later cue with no subject of its own (وأضافت أن …) is that
    source speaking again, not the subject of the cited sentence."""
    out = []
    for k, t in enumerate(toks):
        if t.norm not in _CITING or t.quoted >= 0 or k + 1 >= len(toks):
            continue
        w = toks[k + 1].norm
        w = w[1:] if w[:1] == "ل" and len(w) > 4 else w  # وفقا لمصادر
        if w in ("المصادر", "المصدر") or w in _UNNAMED_SUBJECTS:
            end = _sentence_end(toks, k, len(toks))
            out.append((toks[min(end, len(toks)) - 1].end, w))
    return out


def _abbreviation_dot(toks: Sequence[Tok], k: int) -> bool:
    """A full stop inside an abbreviation spelled letter by letter (إم.بي.سي، د.ب.أ): glued to a short word on
    each side, it ends no sentence. (Two long words glued by a stop are a missing space: that stop ends one.)"""
    if toks[k].norm != "." or k == 0 or k + 1 >= len(toks):
        return False
    a, b = toks[k - 1], toks[k + 1]
    if not (a.end == toks[k].start and toks[k].end == b.start):
        return False
    # (a decimal point, 25.4 في المئة, never gets here: the text layer's sentence_end reads past it)
    return a.norm.isalpha() and b.norm.isalpha() and len(a.norm) <= 3 and len(b.norm) <= 3


def _in_name(t: Tok, ix: MentionIndex) -> bool:
    """The word lies inside an entity mention: علي in علي فلان is a name, which normalising spells as the
    preposition على, no circumstance word."""
    return ix.overlaps(t.start, t.end)


def _sentence_end(toks: Sequence[Tok], i: int, limit: int) -> int:
    """:func:`marsad.lang.ar.textlayer.sentence_end`, read past the stops of abbreviations (قال لإذاعة إم.بي.سي إن …:
    the speaker slot and the content go on after them)."""
    e = sentence_end(toks, i, limit)
    while e < limit and _abbreviation_dot(toks, e):
        e = sentence_end(toks, e + 1, limit)
    return e


# حسبما/بحسب ما/وفق ما/وفقا لما + cue: the attribution of the clause before it
_AS_WORDS = frozenset({"حسبما", "بحسبما", "وفقما", "كما"})
_AS_HEADS = frozenset({"حسب", "بحسب", "وفق", "وفقا"})


def _after_attribution(toks: Sequence[Tok], i: int) -> bool:
    """The cue at ``i`` follows حسبما / بحسب ما / وفق ما / وفقا لما (… ، حسبما قال فلان): it attributes the
    clause before it."""
    if i == 0:
        return False
    w = toks[i - 1].norm
    if w in _AS_WORDS - {"كما"}:
        return True
    return i >= 2 and (w == "ما" and toks[i - 2].norm in _AS_HEADS or w == "لما" and toks[i - 2].norm == "وفقا")


def _postposed(toks: Sequence[Tok], cue: Cue) -> bool:
    """A finite قال-form after a comma whose clause ends within a few words, with no complementiser, colon or
    quotation after it (…، تقول صحيفة كذا.): it attributes the clause before."""
    if cue.participle or cue.lemma != "قال" or cue.i == 0 or toks[cue.i - 1].norm not in ("،", ","):
        return False
    if toks[cue.i].norm[:1] in "وف":
        return False  # (وقال opens a clause of its own)
    end = _sentence_end(toks, cue.j, len(toks))
    rest = toks[cue.j : end]
    return 0 < len(rest) <= 6 and not any(t.norm in _COMP or t.norm == ":" or t.norm in C.QUOTE_PAIRS for t in rest)


def _attributed_before(
    article: Article, toks: list[Tok], cue: Cue, ix: MentionIndex, state: dict, prior: list[Quote],
    *, head: int | None = None,
) -> Quote | None:
    """… ، بحسب ما قال فلان: the clause before the attribution is the content (from the sentence start, or the
    previous clause mark), the words after the cue name the speaker. None when a quote already holds that clause
    (وقال فلان إن …، حسبما نقلت الوكالة) or it is too short."""
    n = len(toks)
    if head is None:
        head = cue.i - 1 if toks[cue.i - 1].norm in _AS_WORDS else cue.i - 2
    end = head
    while end > 0 and toks[end - 1].norm in _CLAUSE_PUNCT | set(C.QUOTE_PAIRS):
        end -= 1
    start = end
    while start > 0 and toks[start - 1].norm not in _PUNCT_END and toks[start - 1].norm not in (":", "؛", ";"):
        start -= 1
    while start < end and (toks[start].norm in _CLAUSE_PUNCT or toks[start].norm in C.QUOTE_PAIRS):
        start += 1
    if end - start < 4:
        return None
    a_off, b_off = toks[start].start, toks[end - 1].end
    if state["contents"].overlaps(a_off, b_off):  # the content spans of ``prior``, kept by the caller
        return None
    limit = _sentence_end(toks, cue.j, n)
    if cue.j >= limit:
        return None
    state["cue"] = (cue.lemma, _bare(toks[cue.i].norm))
    region = (cue.j, limit)
    if cue.lemma == "نقل":  # بحسب ما نقلت الوكالة عن فلان: who is quoted speaks
        region = next(((z + 1, limit) for z in range(cue.j, limit) if toks[z].norm == "عن"), region)
    speaker, sp_span, desc = _resolve_speaker(article, toks, region, cue, ix, state, prior)
    if speaker is None:
        return None
    w0 = toks[start].norm
    c0 = toks[start].start + (1 if w0[:1] == "و" and len(w0) > 3 and _bare(w0) == w0 and w0 not in CUE_FORMS else 0)
    content = Span(c0, b_off, "quote")
    attrs: dict = {"cue_lemma": cue.lemma, "frame": "attribution-after"}
    if desc:
        attrs["description"] = desc
    qid = content_hash(article.id, str(content.start), str(content.end), length=12)
    cue_span = Span(toks[cue.i].start, toks[cue.j - 1].end, "cue", {"lemma": cue.lemma})
    return Quote(qid, "indirect", content, tuple(speaker), cue_span, sp_span, attrs)


def _tok_at(toks: Sequence[Tok], off: int) -> int:
    for k, t in enumerate(toks):
        if t.end > off:
            return k
    return len(toks) - 1


def _quote_at(
    article: Article,
    toks: list[Tok],
    cue: Cue,
    next_cue: int,
    ix: MentionIndex,
    state: dict,
    prior: list[Quote],
) -> Quote | None:
    n = len(toks)
    i = cue.j
    # the clause this cue governs ends at the sentence end or at the next clause-initial cue (``next_cue``)
    limit = _sentence_end(toks, i, n)
    if next_cue < limit:
        limit = next_cue
    if i >= limit:
        return None
    prep = _PREP.get(cue.lemma, "")
    # 1. locate the speaker region and the content start
    k = i
    content_at: int | None = None
    speaker_region = (i, i)
    colon = False
    # بالقول / القول after تابع
    if k < limit and toks[k].norm in ("بالقول", "القول"):
        k += 1
        i = k
    scan_to = min(limit, i + 40)
    m = i
    while m < scan_to:
        w = toks[m].norm
        if (
            toks[m].quoted >= 0
            and w in C.QUOTE_PAIRS
            and _quote_starts_here(toks, m)
            and not _name_quote(toks, m)
        ):
            content_at = m
            speaker_region = (i, m)
            break
        if w == ":":
            content_at = m + 1
            speaker_region = (i, m)
            colon = True
            break
        if w in _COMP or (w.startswith("ب") and w[1:] in _COMP and len(w) > 2):
            content_at = m + 1
            speaker_region = (i, m)
            if m - i > _FAR_COMP and (cue.lemma in C.NP_CONTENT or cue.lemma in _ADDRESSEE_CUES):
                # اتهم الوزير فلان، في بيان، البلد بعدم تطبيق … دون أن …: a complementiser this far belongs to the
                # object noun phrase, which is the content; the speaker phrase ends where its words end
                named = ix.in_range(toks[i].start, toks[min(m, i + 10) - 1].end)
                k = i
                if named:  # past the last name of the speaker phrase (its title's genitive is not a speaker word)
                    # or its person's name: a place or body after it is in the object (أعلن القائد فلان بدء حملة في
                    # مدينة كذا … قائلا إن)
                    k = next((z for z in range(i, m) if toks[z].start >= named[-1][1]), m)
                    end = next((x[1] for x in named if x[3] == "PER"), None)
                    k_per = m if end is None else _skip_speaker(
                        toks, next((z for z in range(i, m) if toks[z].start >= end), m), m, ix
                    )  # fmt: skip
                    if k_per < k and toks[k_per].norm not in _BREAKS and toks[k_per - 1].norm not in ("،", ","):
                        k = k_per  # (not a circumstance, nor an apposition after a comma: …، المعارض الرئيسي …)
                k = _skip_speaker(toks, k, m, ix)
                if i < k < m:
                    speaker_region = (i, k)
                    content_at = k
            break
        if prep and (w == prep or (prep == "علي" and w == "على") or (prep == "الي" and w == "إلى")):
            if cue.lemma in C.NP_CONTENT and m > i:
                # أكد الوزير تدخل الجيش في … على …: a noun phrase right after the speaker is the content already,
                # and this preposition belongs to it (a circumstance such as في مؤتمر صحفي may stand before على)
                k = _skip_speaker(toks, i, m, ix)
                if i < k < m and toks[k].norm not in _BREAKS and toks[k].norm not in _CLAUSE_PUNCT and not any(
                    toks[z].norm in _CLAUSE_PUNCT for z in range(k, m)
                ):  # fmt: skip  (the noun phrase may hold its own circumstance: أكد فلان مشاركة الجيش في العملية على …)
                    speaker_region = (i, k)
                    content_at = k
                    break
            speaker_region = (i, m)
            content_at = m + 1
            # أشار إلى أن / أعرب عن ثقته بأن: the content follows the complementiser
            for z in range(m + 1, min(m + 4, limit)):
                if toks[z].norm in _COMP:
                    content_at = z + 1
                    break
                if toks[z].norm not in C.ATTITUDE and z > m + 1:
                    break
            break
        if cue.lemma == "قوله":
            break
        m += 1
    if cue.lemma == "قوله":
        # نقلت الوكالة عن فلان قوله: "…" — content after قوله, speaker between عن and قوله
        a = i
        for z in range(
            i, limit
        ):  # قوله ردا على سؤال عن …: "…": the content follows the colon or the opening mark
            if toks[z].norm == ":" or (toks[z].norm in C.QUOTE_PAIRS and _quote_starts_here(toks, z)):
                a = z + 1 if toks[z].norm == ":" else z
                break
        while a < limit and toks[a].norm in (":", "،", ","):
            a += 1
        content_at = a
        back = cue.i - 1
        lo = max(0, cue.i - 20)
        start_sp = cue.i
        while back >= lo:
            if toks[back].norm == "عن" or toks[back].norm == "لسان" and back > 0 and toks[back - 1].norm == "علي":
                start_sp = back + 1  # (نقلت الوكالة عن فلان / على لسان فلان قوله)
                break
            back -= 1
        speaker_region = (start_sp, cue.i)
    if content_at is None and cue.lemma == "أعلن" and not cue.participle:
        # أعلنت الشرطة المحلية، الخميس، عن اعتقال …: أعلن عن, the words before عن are the subject
        an = next((z for z in range(i + 1, min(limit, i + 8)) if toks[z].norm == "عن"
                   or toks[z].norm in _CLAUSE_PUNCT and toks[z].norm not in ("،", ",")), None)  # fmt: skip
        if an is not None and toks[an].norm == "عن" and an + 1 < limit:
            speaker_region = (i, an)
            content_at = an + 1
    if content_at is None:
        if cue.lemma in C.NP_CONTENT or cue.participle:
            # أكد الوزير أهمية …: skip the speaker phrase, the object noun phrase is the content
            content_at = _skip_speaker(toks, i, limit, ix)
            speaker_region = (i, content_at)
            if cue.participle and content_at != i:
                content_at = i
                speaker_region = (i, i)
        else:
            return None
    if cue.lemma == "جاء" and speaker_region[0] < speaker_region[1] and toks[speaker_region[0]].norm == "في":
        # جاء في بيان الوزارة أن: the issuer is named after the document noun (بيان الوزارة، بيان للحكومة)
        z = speaker_region[0] + 1
        while z < speaker_region[1] and (toks[z].norm in C.DOCUMENTS or _strip_al(toks[z].norm) in C.DOCUMENTS):
            z += 1
        speaker_region = (z, speaker_region[1])
    elif cue.lemma == "جاء":
        # بيان الوزارة الذي جاء فيه: "…": the issuer is named after the document noun before the verb
        doc = next((z for z in range(cue.i - 1, max(-1, cue.i - 6), -1) if toks[z].norm in C.DOCUMENTS
                    or _strip_al(toks[z].norm) in C.DOCUMENTS), None)  # fmt: skip
        if doc is not None:
            end = next((z for z in range(doc + 1, cue.i) if toks[z].norm in ("الذي", "التي") or toks[z].norm in
                        _CLAUSE_PUNCT), cue.i)  # fmt: skip
            if doc + 1 < end:
                speaker_region = (doc + 1, end)
    if cue.lemma == "نقل":
        # نقلت وكالة … عن فلان أن …: the speaker is who is quoted, the agency is the channel
        for z in range(speaker_region[0], speaker_region[1]):
            if toks[z].norm == "عن":
                speaker_region = (z + 1, speaker_region[1])
                break
    while content_at < limit and toks[content_at].norm in ("،", ",", ":", "-", "–"):
        content_at += 1
    if content_at >= limit:
        return None
    # 2. content span: inside quotation marks when it opens with one and the marks close the clause
    kind = "indirect"
    ca, cb = content_at, limit
    first = toks[ca]
    if first.quoted >= 0 and first.norm in C.QUOTE_PAIRS:
        pair = first.quoted
        close = ca
        while close + 1 < n and toks[close + 1].quoted == pair:
            close += 1
        rest = [t for t in toks[close + 1 : max(limit, close + 1)] if t.norm not in _CLAUSE_PUNCT]
        if close + 1 >= limit or not rest:
            kind = "direct"
            ca, cb = ca + 1, close  # inside the marks
            limit = max(limit, close + 1)
        else:
            cb = limit
    if colon and kind == "indirect":
        kind = "indirect"
    # strip trailing punctuation / closing marks from an indirect content
    while cb > ca and toks[cb - 1].norm in _CLAUSE_PUNCT:
        cb -= 1
    if cb <= ca:
        return None
    # strip "وفقا لـ …" / "حسب …" attributions trailing an indirect content
    content_tokens = [t for t in toks[ca:cb] if t.norm not in _CLAUSE_PUNCT and t.norm not in C.QUOTE_PAIRS]
    if len(content_tokens) < 2:
        return None
    # names in quotation marks are not quotes: a short quoted string with no reporting frame
    if kind == "direct" and len(content_tokens) <= 3 and not colon and content_at == speaker_region[0]:
        return None
    state["cue"] = (cue.lemma, _bare(toks[cue.i].norm))
    state.pop("implied_desc", None)
    state["empty_slot"] = not any(
        toks[z].norm not in _CLAUSE_PUNCT and toks[z].norm not in C.QUOTE_PAIRS
        for z in range(speaker_region[0], speaker_region[1])
    )
    speaker, sp_span, desc = _resolve_speaker(article, toks, speaker_region, cue, ix, state, prior)
    state["empty_slot"] = False
    if speaker is None:
        return None
    if not speaker and desc is None:
        desc = state.pop("implied_desc", None)
    if kind == "indirect" and cue.lemma in _ADDRESSEE_CUES and sp_span is not None:
        # دعا الوزير الطرفين إلى الحوار: what was called for includes whom it was asked of, so the content opens
        # right after the speaker phrase, not after إلى/بـ
        k = speaker_region[0]
        while k < ca and toks[k].start < sp_span.end:
            k += 1
        while k < ca and (
            toks[k].norm in _CLAUSE_PUNCT or toks[k].norm in _SPEAKER_WORDS and not ix.overlaps(toks[k].start, toks[k].end)
        ):  # (a title word that opens the object's name stays: طالبت الجامعة مجلس الأمن بـ …)
            k += 1
        if speaker_region[0] < k < ca - 1 and toks[k].norm not in _BREAKS and toks[k].norm not in _PREPS:
            ca = k
    content = Span(toks[ca].start, toks[cb - 1].end, "quote")
    cue_span = Span(toks[cue.i].start, toks[cue.j - 1].end, "cue", {"lemma": cue.lemma})
    attrs: dict = {"cue_lemma": cue.lemma}
    if desc:
        attrs["description"] = desc
    qid = content_hash(article.id, str(content.start), str(content.end), length=12)
    return Quote(qid, kind, content, tuple(speaker), cue_span, sp_span, attrs)


# A complementiser more words than this after a cue that takes a noun-phrase object is inside that object
_FAR_COMP = 12

# Cues whose object (the people asked, the thing described) belongs to the reported content: دعا/طالب/حث X إلى/بـ …,
# وصف X بأنه …
_ADDRESSEE_CUES = {"دعا", "طالب", "حث", "وصف", "اتهم"}


def _name_quote(toks: Sequence[Tok], k: int) -> bool:
    """A short quoted string ("وانغ يي") followed by more of the clause is a name, not a quotation."""
    pair = toks[k].quoted
    inner = [j for j in range(k + 1, len(toks)) if toks[j].quoted == pair]
    if len(inner) > 5 or not inner:
        return False
    if k > 0 and (toks[k - 1].norm.startswith("لل") or toks[k - 1].norm[:1] == "ل" and toks[k - 1].norm[1:3] == "ال"):
        return False  # قال للصحافيين "…": after whom he told comes what he said, not a name
    after = inner[-1] + 1
    return after < len(toks) and toks[after].norm not in _PUNCT_END


def _quote_starts_here(toks: Sequence[Tok], m: int) -> bool:
    return m == 0 or toks[m - 1].quoted != toks[m].quoted


def _clause_initial(toks: Sequence[Tok], k: int) -> bool:
    if k == 0:
        return True
    prev = toks[k - 1].norm
    w = toks[k].norm
    return prev in _CLAUSE_PUNCT or prev in C.QUOTE_PAIRS or w[:1] in "وف" and _bare(w) != w


def _skip_speaker(toks: Sequence[Tok], i: int, limit: int, ix: MentionIndex) -> int:
    """First token after the speaker phrase (names, titles, nisba adjectives, time words, commas)."""
    k = i
    while k < limit:
        t = toks[k]
        w = t.norm
        if ix.overlaps(t.start, t.end):
            k += 1
            continue
        if k == i and (_strip_al(w) in _HOLDER_TITLES or w in _HOLDER_TITLES):
            # نوه وكيل الهيئة للشؤون الفنية الدكتور فلان، بـ …: a title's genitive chain up to the holder's name (a
            # person named within eight words, nothing but words and commas between) is the speaker phrase
            per = next((m for m in ix.in_range(t.end, toks[min(limit, k + 9) - 1].end) if m[3] == "PER"), None)
            if per is not None:
                j = next((z for z in range(k + 1, limit) if toks[z].start >= per[0]), limit)
                if not any(
                    toks[z].norm in _COMP or toks[z].norm in C.QUOTE_PAIRS or toks[z].norm in _BREAKS
                    or toks[z].norm in _CLAUSE_PUNCT and toks[z].norm not in ("،", ",")
                    for z in range(k + 1, j)
                ):  # fmt: skip
                    k = j
                    continue
        if (
            w in _SPEAKER_WORDS
            or _strip_al(w) in _SPEAKER_WORDS
            or _strip_al(w) in _TITLE_HEADS  # القائد، الرئيسة: a definite title opens the speaker phrase
            or w in ("،", ",", "-")
            or (w.startswith("ال") and w.endswith(("ي", "يه")) and k > i)
        ):
            k += 1
            continue
        if w in ("لدي", "في") and k > i and k + 1 < limit and ix.overlaps(toks[k + 1].start, toks[k + 1].end):
            k += 1  # السفير الأمريكي لدى البلد، فلان …: where the title holder serves belongs to the speaker phrase
            continue
        if w in _org_heads_set():
            # شركة كذا، شبكة "كذا"، وكالة الأنباء الرسمية "كذا": an organisation head and its words up to the name
            # that follows (a mention, or a name in quotation marks) open the speaker phrase
            j = k + 1
            if (
                w.startswith("ال") and j < limit and toks[j].norm.isalpha() and not toks[j].norm.startswith("ال")
                and toks[j].norm[:1] not in "بلك" and not ix.overlaps(toks[j].start, toks[j].end)
            ):  # fmt: skip  (not a preposition's word: اتهمت الجيش باستخدام …, where the head is the object)
                # أكدت الشركة احتجاز فلان، أعلنت الهيئة وقف …: a definite head takes no indefinite genitive; the
                # head alone (the body named before) is the speaker phrase, the object noun phrase starts after it
                k = j
                continue
            while j < limit and j - k <= 4 and toks[j].norm.isalpha() and not ix.overlaps(toks[j].start, toks[j].end):
                j += 1
            if j < limit and j - k <= 4 and ix.overlaps(toks[j].start, toks[j].end):
                k = j
                continue
            if j < limit and j - k <= 4 and toks[j].norm in C.QUOTE_PAIRS and toks[j].quoted >= 0:
                pair, e = toks[j].quoted, j + 1
                while e < limit and toks[e].quoted == pair and toks[e].norm not in C.QUOTE_PAIRS:
                    e += 1
                if e < limit and e - j <= 5 and toks[e].quoted == pair:
                    k = e + 1
                    continue
        break
    return k


def _resolve_speaker(
    article: Article,
    toks: Sequence[Tok],
    region: tuple[int, int],
    cue: Cue,
    ix: MentionIndex,
    state: dict,
    prior: list[Quote],
) -> tuple[tuple[str, ...] | None, Span | None, str | None]:
    a, b = region
    here = toks[cue.i].start
    if cue.participle:
        # مؤكدا، مشيرا …: the subject of the sentence that carries the participle
        return _implied(state, here, toks, cue, ix, article, participle=True), None, None
    if _object_first(toks, a, b, cue, ix):
        # ووصف موسكو بأنها …، اتهم المجلس بأنه …، أخبر فلانا بأن …: the one name after the verb is its object (spoken
        # about or to); the subject stands before the verb or was named earlier
        return _implied(state, here, toks, cue, ix, article), None, None
    before = _unnamed_before(article, toks, cue, ix)
    if before is not None:
        return (), before, article.text[before.start : before.end].strip(" ،,-")
    first = next((t.norm for t in toks[a:b] if t.norm not in _CLAUSE_PUNCT), "")
    # (المسؤول التركي, with ال, refers back to someone: the rules below look; المصدر / المصادر, with ال, refer back
    # to the unnamed source, whatever nisba follows: المصدر الفلاني is no speech of the country)
    if first in _UNNAMED_SOURCES or first in ("المصدر", "المصادر"):
        # مصدر أمني، مسؤول أمريكي، شهود عيان: an unnamed source is nobody's words (a nisba names no speaker), unless
        # an organisation is named beside it (مسؤول في وزارة …): then the rules below look for it
        s_, e_ = toks[a].start, toks[b - 1].end
        at = next((k for k in range(a + 1, min(b, a + 4)) if toks[k].norm in ("في", "باسم", "من")), None)
        if at is not None and at + 1 < b:
            # مصادر في الهيئة كذا، متحدث باسم الهيئة كذا: the body the entity stage found right after في / باسم
            # is the one the source speaks for (the guideline names it)
            spoken_for = next((x for x in ix.in_range(toks[at + 1].start, e_) if x[0] < toks[at + 1].end), None)
            if spoken_for is not None and spoken_for[3] == "ORG":
                return (spoken_for[2],), Span(spoken_for[0], spoken_for[1], "speaker"), None
        if not any(t == "ORG" and not _after_lam(article.text, _s) for _s, _e, _i, t in ix.in_range(s_, e_)):
            # مسؤولون في الهيئة العامة …، متحدث باسم الهيئة: the body an unnamed source speaks for (the
            # guideline names it), when the words after في/باسم name one the entity stage missed
            at = next((k for k in range(a + 1, min(b, a + 4)) if toks[k].norm in ("في", "باسم", "من")), None)
            if at is not None and at + 1 < b:
                body = _slot_speaker(toks, at + 1, b, b, ix, state, org_only=True)
                if body is not None:
                    return body
            return (), Span(s_, e_, "speaker"), article.text[s_:e_].strip(" ،,-")
    addressee = first[:1] == "ل" and (first in ("ل", "لـ") or any(
        toks[a].start < x[0] <= toks[a].start + 2 for x in ix.in_range(toks[a].start, toks[a].end)
    ) or first.startswith("لل") or first[1:3] == "ال" or first[1:] in _org_heads_set())  # fmt: skip  (لصحيفة، لوكالة)
    if not cue.participle and (b - a <= 1 or addressee) and _bare(toks[cue.i].norm).endswith(("وا", "ون")):
        # قالوا إن، صرحوا لوكالة …: a plural pronoun subject names nobody the rules can point to
        return (), None, "plural"
    if addressee and not cue.participle:
        # وقال لوكالة … إن، قال للصحفيين: the words after the cue say whom he spoke to; the speaker is implied
        return _implied(state, here, toks, cue, ix, article), None, None
    known = state["slot"].known_names() if state.get("slot") is not None else frozenset()
    if b > a and unnamed_subject(toks, a, b, ix, known, article.text):
        s_, e_ = toks[a].start, toks[b - 1].end
        return (), Span(s_, e_, "speaker"), article.text[s_:e_].strip(" ،,-")
    # an appositive name set off by a comma right before أن/إن, when the speaker phrase itself names no person
    # (نائب السفير الكندي لدى الاتحاد الأوروبي، فلان، إن)
    appositive = None
    if b > a:
        tail = toks[b - 1].end
        for s_, e_, eid, typ in reversed(ix.in_range(toks[a].start, tail)):
            if _after_lam(article.text, s_) and typ != "PER":
                continue  # (…، فلان، لرويترز: whom he told comes after the name)
            before_name = article.text[max(0, s_ - 3) : s_]
            # after the name only a comma and what may close the phrase: a time word, whom he told (…، الأحد،
            # للصحيفة)
            rest = [w for w in normalize(article.text[e_:tail]).split() if w.strip(" ،,-")]
            if (
                typ == "PER"
                and all(w.strip("،,") in _SPEAKER_WORDS or w.strip("،,") in _TIME_NOUNS or w[:1] == "ل" for w in rest)
                and (not rest or article.text[e_:tail].lstrip()[:1] in "،,")
                and ("،" in before_name or "," in before_name)
            ):
                appositive = ((eid,), Span(s_, e_, "speaker"), None)
            break
    # شاهد يدعى فلان، رجل يدعى فلان: the name after يدعى is the speaker's, whatever else the slot names first
    called = next((k for k in range(a, b - 1) if toks[k].norm in CALLED), None)
    if called is not None:
        named_after = next((x for x in ix.in_range(toks[called + 1].start, toks[b - 1].end)
                            if x[0] == toks[called + 1].start and x[3] == "PER"), None)  # fmt: skip
        if named_after is not None:
            return (named_after[2],), Span(named_after[0], named_after[1], "speaker"), None
        proposed = _slot_speaker(toks, a, b, b, ix, state, person_only=True)
        if proposed is not None:
            return proposed
    # cut the region at the first circumstance word (في مؤتمر، مع نظيره، وفقا لـ …)
    cut = b
    for k in range(a, b):
        w = toks[k].norm
        if w in _BREAKS and not _in_name(toks[k], ix) or (
            k > a and w in C.QUOTE_PAIRS and toks[k].quoted >= 0 and not _name_quote(toks, k)
        ):
            cut = k
            break
    if cut == a:
        return _implied(state, here, toks, cue, ix, article), None, None
    start, end = toks[a].start, toks[cut - 1].end
    got = _actor_in(article, toks, a, cut, ix)
    if got is not None and ix.types.get(got[0][0]) != "PER" and _strip_al(toks[a].norm) in _HOLDER_TITLES:
        holder = _title_holder(toks, a, b, got[2], ix)
        if holder is not None:
            return holder
    if appositive is not None and (
        got is None or ix.types.get(got[0][0]) != "PER"
        or got[1] < appositive[1].start and _strip_al(toks[a].norm) in _HOLDER_TITLES
    ):  # fmt: skip  (رئيس شركة فلان للفنادق، فلان الآخر، …: the title's holder, not the person in its genitive)
        return appositive
    named = got is not None and (ix.in_range(start, end) or ix.coref_in(start, end))
    if got is not None and not named:
        # only a title (an earlier holder's role) or a nisba (the country) pointed at someone: a person the slot
        # names comes first (قال المسؤول السوري فلان), and after a nisba alone an organisation it names too
        place = ix.types.get(got[0][0]) in ("GPE", "LOC")
        proposed = _slot_speaker(toks, a, b, cut, ix, state, person_only=not place)
        if proposed is not None:
            return proposed
    if got is not None and named and got[1] > toks[a].start and (
        ix.types.get(got[0][0]) != "PER" or "،" in article.text[toks[a].start : got[1]]
    ):  # fmt: skip  (a person too when a comma sets the first name off: فلان، أحد محامي فلان الآخر، إن)
        # a person the entity stage missed, named in the slot before the body or place it found (قال فلان الفلاني
        # مدير الهيئة، قال المتحدث باسم شرطة الولاية فلان …): the person speaks
        k = next((z for z in range(a, b) if toks[z].start >= got[1]), b)
        if _strip_al(toks[a].norm) in _HOLDER_TITLES and ix.types.get(got[0][0]) != "PER":
            proposed = _slot_speaker(toks, a, b, cut, ix, state, person_only=True)  # the name closes the title
        else:
            proposed = _slot_speaker(toks, a, k, k, ix, state, person_only=True)
        if proposed is not None:
            return proposed
    if got is not None:
        if named and len(got[0]) == 1 and state.get("slot") is not None:
            longer = _extended(toks, a, cut, got, ix, state)
            if longer is not None:
                return longer
        return got[0], Span(got[1], got[2], "speaker"), None
    words = [t.norm for t in toks[a:cut] if t.norm not in _CLAUSE_PUNCT]
    content_words = [w for w in words if w not in _SPEAKER_WORDS and w not in _TIME_NOUNS]
    desc_text = article.text[start:end].strip(" ،,-")
    proposed = _slot_speaker(toks, a, b, cut, ix, state)
    if proposed is not None:
        return proposed
    if not content_words:
        return _implied(state, here, toks, cue, ix, article), None, None
    if cue.lemma in _ADDRESSEE_CUES and words[0].endswith("ين") and words[0].startswith("ال"):
        # ودعا الموظفين إلى …: an accusative plural after دعا/حث/طالب is whom he called on; the speaker is implied
        return _implied(state, here, toks, cue, ix, article), None, None
    if human_plural(words[0]) and words[0].endswith("ون"):
        # المدافعون عن البيئة: an unnamed source (nominative: the subject; دعا الموظفين: the object, accusative)
        return (), Span(start, end, "speaker"), desc_text
    issuer = _document_issuer(article, toks, a, cut, ix) or _published_by(toks, a, b, ix)
    if issuer is not None:
        return (issuer[2],), Span(start, end, "speaker"), None
    if content_words[0] in _STATEMENT and len(content_words) <= 2:
        # وقال البيان: a statement speaks for whoever issued it — the subject of the sentence that mentioned the
        # statement (وأصدر الطرفان بيانا), else the latest subject
        who = _implied(state, here, toks, cue, ix, article)
        issued = normalize(article.text[max(0, here - 800) : here]).rfind("بيان")
        if issued >= 0:
            at = max(0, here - 800) + issued
            # the last subject (in history order) named before the statement: a walk back from the end, not a
            # copy of the whole history per statement (long documents)
            last = next((h for h in reversed(state["history"]) if h[0] <= at), None)
            if last is not None:
                who = last[1]
        return who, Span(start, end, "speaker"), None if who else desc_text
    if any(w in C.UNNAMED or w[2:] in C.UNNAMED or _strip_al(w) in _TITLE_HEADS for w in words):
        return (), Span(start, end, "speaker"), desc_text
    if len(content_words) <= 2 and words[0].startswith("ال"):
        # an unnamed body (الوزارة، البيان، الوكالة): keep the description, no entity
        return (), Span(start, end, "speaker"), desc_text
    return _implied(state, here, toks, cue, ix, article), None, None


# Person titles that open a speaker phrase whose genitive (a body, a country) is not the speaker
_HOLDER_TITLES = frozenset({
    "وزير", "وزيره", "رييس", "رييسه", "مندوب", "مندوبه", "متحدث", "متحدثه", "ناطق", "سفير", "سفيره", "زعيم",
    "زعيمه", "مستشار", "مستشاره", "امين", "مدير", "مديره", "قايد", "نايب", "مساعد", "ملك", "امير", "مسوول",
    "وكيل", "محافظ", "حاكم", "عمده", "مدرب", "منسق", "مفوض", "عضو", "ولي", "عاهل", "مفتي", "قاضي", "مدعي",
})  # fmt: skip
# Words that may stand between a title's genitive and its holder's name (سفير البلد لدى المنظمة، فلان)
_TITLE_LINKS = frozenset({"لدي", "في", "باسم", "،", ",", "\"", "«", "»", "“", "”", "-"})


def _title_holder(
    toks: Sequence[Tok], a: int, b: int, after: int, ix: MentionIndex
) -> tuple[tuple[str, ...], Span, None] | None:
    """The person a title phrase names after its genitive (قال مندوب البلد لدى المنظمة، فلان الفلاني، في كلمة …;
    رئيس "المنظمة" فلان): the first person mentioned in the slot after ``after`` (the end of the genitive's
    mention), when only the title chain's words stand between (no circumstance: مع، عن، خلال …; at most six)."""
    if b <= a:
        return None
    k = next((i for i in range(a, b) if toks[i].start >= after), b)
    for s_, e_, eid, typ in ix.in_range(after, toks[b - 1].end):
        if typ != "PER":
            continue
        gap = [t.norm for t in toks[k:b] if t.end <= s_]
        if len(gap) > 6 or any(w in _BREAKS and w not in _TITLE_LINKS or w in _COMP or w in ("مع", "عن") for w in gap):
            return None
        return (eid,), Span(s_, e_, "speaker"), None
    return None


# Words that may open a clause before its subject (لكن مصادر … أكدت، وكان مصدر … قد أكد)
_RELATIVES = frozenset({"التي", "الذي", "الذين", "اللذين", "اللتين", "اللواتي"})
_PRE_SUBJECT = frozenset({"لكن", "ولكن", "كان", "كانت", "وكان", "وكانت", "قد", "فان", "بينما", "فيما", "اذ", "حيث"})
# Unnamed sources that stand as the subject before the verb (SVO): the guideline's [] speaker
_UNNAMED_SUBJECTS = frozenset((set(C.UNNAMED) - {"متحدث"}) | {"وسايل", "تقارير"})


def _unnamed_before(article: Article, toks: Sequence[Tok], cue: Cue, ix: MentionIndex) -> Span | None:
    """An unnamed source as the subject before a verb without و/ف (مصادر طبية ذكرت أن …، وكانت مصادر حكومية
    قد ذكرت …): the verb's subject is that source, not the latest speaker. None when a person or body is named in it
    (مسؤول في الوزارة قال: the rules find the body) or the clause before the verb is long."""
    if cue.participle or _bare(toks[cue.i].norm) != toks[cue.i].norm:
        # a cue after و/ف continues the previous sentence's subject; a cue whose own first letter is و (وصف، وعد)
        # carries no conjunction
        return None
    if cue.i > 1 and toks[cue.i - 1].norm in _RELATIVES:
        # المصادر التي ذكرت أن …، مصدر أمني الذي قال: the relative's antecedent is the verb's subject
        for k in range(cue.i - 2, max(-1, cue.i - 6), -1):
            w = toks[k].norm
            if w in _CLAUSE_PUNCT or w in C.QUOTE_PAIRS:
                break
            bare = _strip_al(w[1:] if w[:1] == "و" and len(w) > 4 else w)
            if bare in _UNNAMED_SUBJECTS:
                if any(t in ("PER", "ORG") for _s, _e, _i, t in ix.in_range(toks[k].start, toks[cue.i - 1].start)):
                    return None
                return Span(toks[k].start, toks[cue.i - 2].end, "speaker")
    k = cue.i - 1
    while k >= 0 and toks[k].norm not in _CLAUSE_PUNCT and toks[k].norm not in _COMP and cue.i - k <= 8:
        k -= 1
    if cue.i - k > 8:
        return None
    s = k + 1
    while s < cue.i and toks[s].norm in _PRE_SUBJECT:
        s += 1
    if s >= cue.i:
        return None
    w = toks[s].norm
    if w not in _UNNAMED_SUBJECTS and not (w[:1] == "و" and w[1:] in _UNNAMED_SUBJECTS):
        return None
    e = cue.i
    while e > s + 1 and toks[e - 1].norm in _PRE_SUBJECT:
        e -= 1
    if any(t in ("PER", "ORG") for _s, _e, _i, t in ix.in_range(toks[s].start, toks[e - 1].end)):
        return None
    return Span(toks[s].start, toks[e - 1].end, "speaker")


def _extended(
    toks: Sequence[Tok], a: int, cut: int, got: tuple[tuple[str, ...], int, int], ix: MentionIndex, state: dict
) -> tuple[tuple[str, ...], Span, None] | None:
    """The speaker slot names the entity ``got`` found with a longer name (:func:`marsad.quotes.slot.extend_mention`):
    that name becomes a speaker entity of its own, which the ranker weighs against the shorter one."""
    from marsad.quotes.slot import extend_mention

    p = extend_mention(toks, a, cut, (got[1], got[2]), ix.types.get(got[0][0], ""), ix)
    if p is None:
        return None
    if p.type == "ORG":
        inner = ix.per_article(state["slot"].article, "entities").get(got[0][0])
        if inner is not None and inner.type == "ORG" and "registry" in (inner.attrs.get("source") or ()):
            # a body the registry knows is named whole: its head and adjectives around it describe it (صحيفة كذا
            # الفلانية), they name no other body (train: 5 false slot entities fewer, quotes CV unchanged)
            return None
    eid = state["slot"].add(toks, p, slot=(a, cut))
    return (eid,), Span(toks[p.start].start, toks[p.end - 1].end, "speaker"), None


def _slot_speaker(
    toks: Sequence[Tok], a: int, b: int, cut: int, ix: MentionIndex, state: dict, *, person_only: bool = False,
    org_only: bool = False,
) -> tuple[tuple[str, ...], Span, None] | None:
    """A speaker entity proposed from the slot's syntax (:func:`marsad.quotes.slot.propose`), registered in
    ``state["slot"]``; None when the slot names nobody that way."""
    from marsad.quotes.slot import propose

    slot = state.get("slot")
    if slot is None:
        return None
    words = [t.norm for t in toks[a:b]]
    if words and (words[0] in _STATEMENT or _strip_al(words[0]) in _STATEMENT):
        # بيان صادر عن الهيئة: the issuer named after عن speaks; nobody else in a statement's slot
        at = next((k for k in range(a + 1, min(b, a + 4)) if toks[k].norm == "عن"), None)
        if at is None or ix.in_range(toks[at].start, toks[b - 1].end):
            return None
        a = at + 1
        cut = max(cut, a)
    lemma, cue_word = state.get("cue", ("", ""))
    p = propose(toks, a, b, cut, ix, lemma=lemma, cue_word=cue_word, known=slot.known_names(), text=slot.article.text)
    if p is None or (person_only and p.type != "PER") or (
        org_only and (p.type != "ORG" or toks[p.start].norm not in _org_heads_set())
    ):
        return None
    if (
        p.type == "ORG" and p.pattern == "org-np" and p.end == p.start + 1 and toks[p.start].norm.startswith("ال")
        and toks[p.start].norm in _org_heads_set()
    ):  # fmt: skip
        # الوكالة alone: the body named earlier with that head (وكالة الأنباء …، اللجان المحلية) that the
        # entity stage did not recognise; its full name is the entity, the bare head a later mention of it
        ante = _antecedent(slot.article, toks[p.start].norm, toks[p.start].start, ix)
        head = _strip_al(toks[p.start].norm)
        known = ix.latest_org(slot.article, head, len(head) + 3, toks[p.start].start) if ante is None else None
        if known is not None:
            # the body the entity stage found with that head (صحيفة كذا … وذكرت الصحيفة في تقرير لها …)
            return (known[2],), Span(toks[p.start].start, toks[p.end - 1].end, "speaker"), None
        if ante is not None:
            ante_toks, ante_p = ante
            eid = slot.add(ante_toks, ante_p)
            s_, e_ = toks[p.start].start, toks[p.end - 1].end
            insort(ix.items, (s_, e_, eid, "ORG"))
            slot.slots.setdefault(eid, []).append((s_, e_))
            return (eid,), Span(s_, e_, "speaker"), None
    if p.end == p.start + 1 and p.type == "ORG" and _bare_head_no_name(slot.article, toks[p.start].norm, ix):
        return None
    eid = slot.add(toks, p, slot=(a, b))
    return (eid,), Span(toks[p.start].start, toks[p.end - 1].end, "speaker"), None


def _bare_head_no_name(article: Article, word: str, ix: MentionIndex) -> bool:
    """A one-word organisation noun that the entity stage says names nothing (:func:`names_nothing`) and that
    stands for no body here: indefinite (مكتب، أمانة: a head waiting for its genitive), or definite while the
    article names a body with that head (الوزارة after وزارة الخارجية: the ranker finds that body). A definite head
    with no such body (الشرطة، الجيش، التحالف) is how the article names its institution, so it stays."""
    if not names_nothing(word):
        return False
    if not word.startswith("ال"):
        return True
    return word[2:] in ix.per_article(article, "org_heads")



def _antecedent(article: Article, head: str, before: int, ix: MentionIndex) -> tuple[list[Tok], Proposal] | None:
    """The latest noun phrase before ``before`` (in its paragraph or the eight before it) that names a body with
    the definite head ``head``: the head without ال and a definite genitive (وكالة الأنباء …) or the head and a
    definite adjective (اللجان المحلية)."""
    indef = head[2:]
    # the head, bare or after a clitic preposition/conjunction (لوكالة، ووكالة، للوكالة)
    forms = {head: 0, indef: 0, **{c + indef: 1 for c in "لبو"}, "لل" + indef: 2, "و" + head: 1}
    allp = ix.per_article(article, "paragraphs")
    k0 = bisect_left(allp, (before,))  # sorted by start: a bisection, not a scan of every paragraph (long documents)
    paras = allp[max(0, k0 - 9) : k0]
    for pa, pb in reversed(paras):
        toks = tokens_of(article, pa, pb)
        for k in range(len(toks) - 2, -1, -1):
            if toks[k].start >= before or toks[k].norm not in forms:
                continue
            nxt = toks[k + 1].norm
            if nxt.startswith("ال") and len(nxt) > 3:
                e = org_noun_phrase(toks, k, len(toks))
                # the name's words are definite (its genitives, adjectives, وال- coordinations): an indefinite word
                # after them opens the verb's object (حسمت الشرطة المحلية قضية …)
                e = next((z for z in range(k + 1, e) if not toks[z].norm.startswith(("ال", "وال", "لل"))), e)
                if e >= k + 2 and toks[e - 1].end <= before:
                    cut = forms[toks[k].norm]
                    if cut:  # the name starts after the clitic
                        t = toks[k]
                        toks = [*toks[:k], Tok(t.start + cut, t.end, t.norm[cut:], t.quoted), *toks[k + 1 :]]
                    return toks, Proposal("ORG", k, e, "org-antecedent")
    return None


# Time words that may stand in a slot whose subject came before the verb (وكانت اللجنة قد أعلنت الشهر الماضي أن)
_TIME_NOUNS = frozenset({"الاسبوع", "الشهر", "العام", "الماضي", "المقبل", "الحالي", "مساء", "صباح", "امس", "اليوم"})


def _document_issuer(
    article: Article, toks: Sequence[Tok], a: int, cut: int, ix: MentionIndex
) -> tuple[int, int, str, str] | None:
    """A document in the slot whose issuer is a bare organisation head after it (ذكر بيان للوزارة، أشار مقال
    الصحيفة، قالت رسالة الهيئة): the organisation named earlier with that head (in its name or right before it)."""
    words = [t for t in toks[a:cut] if t.norm not in _CLAUSE_PUNCT]
    if len(words) < 2 or _strip_al(words[0].norm) not in C.DOCUMENTS and words[0].norm not in C.DOCUMENTS:
        return None
    w = words[1].norm
    head = w[2:] if w.startswith("لل") else w[1:] if w[:1] == "ل" and w[1:3] != "ال" else _strip_al(w)
    if not head or w == head:
        return None  # (an indefinite word after the document: no issuer named)
    from marsad.quotes.slot import org_heads

    if head not in org_heads():
        return None
    return ix.latest_org(article, head, len(head) + 3, toks[a].start)


_PUBLISHED = frozenset({"نشر", "نشرت", "نشره", "نشرته", "نشرها", "نشرتها", "صدر", "صدرت", "اصدره", "اصدرته", "بث", "بثته"})


def _published_by(toks: Sequence[Tok], a: int, b: int, ix: MentionIndex) -> tuple[int, int, str, str] | None:
    """A document whose relative clause says where it was published (قالت الرسالة، التي نشرتها صحيفة كذا، إن …):
    the body or site named in that clause issued it."""
    words = [k for k in range(a, b) if toks[k].norm not in _CLAUSE_PUNCT]
    if len(words) < 3 or _strip_al(toks[words[0]].norm) not in C.DOCUMENTS and toks[words[0]].norm not in C.DOCUMENTS:
        return None
    if toks[words[1]].norm not in ("الذي", "التي") or toks[words[2]].norm not in _PUBLISHED:
        return None
    return next((m for m in ix.in_range(toks[words[2]].end, toks[b - 1].end) if m[3] == "ORG"), None)


# Unnamed sources: their words are kept with the description and no speaker (the annotation guideline's []).
_UNNAMED_SOURCES = set(C.UNNAMED) - {"متحدث"}
_STATEMENT = {"البيان", "بيان", "البيان،", "الرساله", "التقرير", "المشترك"}
_TITLE_HEADS = {
    "وزير", "وزيره", "رييس", "رييسه", "مندوب", "مندوبه", "متحدث", "متحدثه", "ناطق", "سفير", "سفيره", "زعيم",
    "مستشار", "امين", "مدير", "قايد", "نايب", "مساعد", "ملك", "امير", "وزيرا", "رييسا", "قايم", "مسوول",
}  # fmt: skip


# Words before لـ that make what follows a source, not an addressee (وفقا لوكالة …); a document before it makes it
# the issuer (بيان صادر لوزارة …)
_SOURCE_LAM = frozenset({"وفقا", "طبقا", "استنادا", "نسبه", "تبعا"})


def _after_lam(text: str, start: int) -> bool:
    """Whether the mention at ``start`` follows the preposition لـ that introduces an addressee (قال مصدر أمني لوكالة
    كذا، قال أحد السكان لإذاعة كذا، صرح لفلان): whom the words were said to, never the one who spoke. After a title or a
    document the same لـ is a genitive (المتحدث الرسمي لوزارة كذا، الأمين العام للمنظمة، بيان صادر لوزارة كذا: the body the
    speaker or the statement belongs to), after وفقا a source; a ل that opens the mention's own word (لجنة، لبنان) is
    inside the mention and does not count."""
    i = start - 1
    while i >= 0 and text[i] == "ـ":
        i -= 1
    if i < 0:
        return False
    if text[i] == "ل" and (i == 0 or not text[i - 1].isalpha()):
        at = i  # لرويترز، لـ"كذا"
    elif text[i] in " \"«“" and text[max(0, i - 3) : i + 1].split()[-1:] in (["ل"], ["لـ"]):
        at = text.rfind("ل", 0, i + 1)  # لـ "كذا"
    else:
        # the indefinite head of an addressee phrase: لوكالة الأنباء كذا، لصحيفة كذا، لقناة كذا
        words = text[max(0, start - 40) : start].split()
        w = normalize(words[-1]) if words else ""
        if not (w[:1] == "ل" and len(w) > 3 and w[1:] in _org_heads_set()):
            return False
        at = start - len(words[-1]) - 1
    before = [_strip_al(normalize(w)) for w in text[max(0, at - 40) : at].split()[-3:]]
    return not any(
        w in _SOURCE_LAM or w in C.DOCUMENTS or (w in _HOLDER_TITLES or w in _TITLE_HEADS) and w not in _UNNAMED_SOURCES
        for w in before
    )  # (مسؤول أمني لوكالة كذا: an unnamed source and whom he told)


def _actor_in(
    article: Article, toks: Sequence[Tok], a: int, b: int, ix: MentionIndex
) -> tuple[tuple[str, ...], int, int] | None:
    """The actor a speaker/subject phrase names: an entity mention (a person first), a coref span, a title that the
    entity layer gave a person, a title + nisba that an earlier mention carries (وزير الخارجية الروسي → the person
    introduced as وزير الخارجية الروسي …), else the country of a nisba (المندوب البريطاني → United Kingdom)."""
    if a >= b:
        return None
    start, end = toks[a].start, toks[b - 1].end
    ments = [m for m in ix.in_range(start, end) if not _after_lam(article.text, m[0])]
    cor = ix.coref_in(start, end)
    if ments:
        if b - a >= 3 and ments[0][0] >= toks[a + 2].start and toks[a].norm.startswith("ال"):
            # الرئيس المصري + a later name (اتهم الرئيس المصري جارته …، قال المندوب الروسي لدى المنظمة): a definite title and a nisba open the phrase, so the subject is that title's holder
            # (else the nisba's country), not the object or the complement named after it
            head, nis = _strip_al(toks[a].norm), ix.nisba.get(_strip_al(toks[a + 1].norm))
            if head in _TITLE_HEADS and nis is not None and ments[0][3] != "PER":
                pid = _titled_person(article, ix, head, nis, before=start)
                return ((pid or nis),), start, toks[a + 1].end
        pers = [m for m in ments if m[3] == "PER"]
        head = _strip_al(toks[a].norm)
        if not pers and head in _HOLDER_TITLES and ments[0][0] <= toks[min(b - 1, a + 2)].start:
            # ولي عهد الإمارة، الأمين العام للمنظمة، مندوب البلد: the office holder, when the article names a person
            # with that title and that body or country elsewhere (its genitive alone is not the subject)
            after = toks[a + 1] if a + 1 < b else None
            qual = _strip_al(after.norm) if after is not None and after.end <= ments[0][0] else ""
            pid = _titled_person(article, ix, head, ments[0][2], before=start, qualifier=qual, near=ments[0][2])
            if pid:
                return (pid,), start, ments[0][1]
        first = pers[0] if pers else ments[0]
        if not pers and len(ments) > 1 and first[3] == "ORG" and ments[1][3] == "ORG" and ments[1][2] != first[2] and (
            not article.text[first[1] : ments[1][0]].strip(" \"«“(") and article.text[first[1] : ments[1][0]].strip()
        ):  # fmt: skip
            # وكالة الأنباء الرسمية "كذا": a body's description and, right after it, its own name in quotation
            # marks or brackets: the name (two bodies side by side with nothing between are subject and object)
            first = ments[1]
        if not pers and cor and cor[0][0] < first[0]:
            return cor[0][2], cor[0][0], cor[0][1]
        return (first[2],), first[0], first[1]
    if cor:
        return cor[0][2], cor[0][0], cor[0][1]
    words = [_strip_al(t.norm) for t in toks[a:b] if t.norm not in _CLAUSE_PUNCT]
    dn = " ".join(words)
    got_role = ix.role_in(dn)
    if got_role is not None:
        return (got_role,), start, end
    if words and toks[a].norm in STATE_NOUNS and len(words) <= 2:
        home = _home_state(article, toks[a].norm)
        if home is not None:
            return (home,), start, end
    if words and toks[a].norm.startswith("ال") and len(words) <= 3:
        # الوزارة، الوكالة، الصحيفة: the latest organisation named with that head noun, in its name or, for an
        # organisation head, right before it (صحيفة كذا: the name is كذا)
        from marsad.quotes.slot import org_heads

        head = words[0]
        back = len(head) + 3 if head in org_heads() else 0
        best = ix.latest_org(article, head, back, start)  # the latest one before the phrase
        if best:
            return (best[2],), start, end
    heads = [w for w in words if w in _TITLE_HEADS]
    nis = next((ix.nisba[w] for w in words if w in ix.nisba), None)
    if heads and nis:
        hi = words.index(heads[0])
        nxt = words[hi + 1] if hi + 1 < len(words) and words[hi + 1] not in ix.nisba else ""
        pid = _titled_person(article, ix, heads[0], nis, before=start, qualifier=nxt)
        if pid:
            return (pid,), start, end
    if nis:
        return (nis,), start, end
    return None


def _org_heads_set() -> frozenset[str]:
    from marsad.quotes.slot import org_heads

    return org_heads()


# The states a bare المملكة / السلطنة can name (ISO3): a kingdom is never the republic or the federation an article
# names most (a Dubai dateline on a Saudi statement)
_STATE_FORMS = {
    "المملكه": frozenset({
        "SAU", "JOR", "MAR", "BHR", "GBR", "ESP", "NLD", "BEL", "SWE", "NOR", "DNK", "THA", "SWZ", "LSO", "BTN",
        "KHM", "TON",
    }),
    "السلطنه": frozenset({"OMN", "BRN"}),
}  # fmt: skip


def _home_state(article: Article, noun: str = "") -> str | None:
    """The state a bare المملكة/الجمهورية refers to: the GPE of the country the article names most (a state counts
    twice, as the entity stage weighs an article's context country); for المملكة / السلطنة, among the kingdoms /
    sultanates only."""
    forms = _STATE_FORMS.get(noun)
    votes: dict[str, int] = {}
    for e in article.entities:
        if forms is not None and e.country not in forms:
            continue
        if e.country and e.type in ("GPE", "PER", "ORG") and e.sector != "MED":
            votes[e.country] = votes.get(e.country, 0) + (2 if e.type == "GPE" else 1)
    if not votes:
        return None
    home = max(votes, key=votes.__getitem__)
    return next((e.id for e in article.entities if e.type == "GPE" and e.country == home and e.mentions), None)


def _titled_person(
    article: Article, ix: MentionIndex, head: str, gpe_id: str, *, before: int, qualifier: str = "",
    near: str | None = None,
) -> str | None:
    """A person of the nisba's country whose mention somewhere in the article is preceded by the same title head
    (رئيسة الحكومة البريطانية، تيريزا ماي … later: رئيسة الحكومة البريطانية → Theresa May)."""
    by_id: dict[str, Entity] = ix.per_article(article, "entities")
    gpe = by_id.get(gpe_id)
    country = gpe.country if gpe is not None else None

    def after(e: int) -> bool:
        """The title and its body right after the person (الشيخ فلان، ولي عهد الإمارة)."""
        for s_n, _e_n, i, _t in ix.in_range(e, e + 60):
            words = [_strip_al(w) for w in normalize(article.text[e:s_n]).split()]
            if i == near and 0 < len(words) <= 4 and head in words and (not qualifier or qualifier in words):
                return not any(w in _COMP for w in words)
        return False

    def fits(item: tuple[int, int, str, str]) -> bool:
        s, e, eid, typ = item
        if typ != "PER":
            return False
        ent = by_id.get(eid)
        if ent is None or (country and ent.country and ent.country != country):
            return False
        if near is not None and after(e):
            return True
        left = [_strip_al(w) for w in normalize(article.text[max(0, s - 60) : s]).split()[-7:]]
        # the same title: head and its qualifier (وزير الدفاع is not وزير الخارجية)
        if not (head in left and (not qualifier or qualifier in left)):
            return False
        # ``near``: the body or country of the title is named between the title and the person (الأمين العام
        # للمنظمة فلان)
        if near is None:
            return True
        for s_n, e_n, i, _t in ix.in_range(max(0, s - 60), s):
            gap = normalize(article.text[e_n:s]).split()
            if i == near and len(gap) <= 3 and not any(w in _COMP for w in gap) and head in [
                _strip_al(w) for w in normalize(article.text[max(0, s_n - 30) : s_n]).split()[-3:]
            ]:  # fmt: skip  (title, its body or country, the name: nothing else between)
                return True
        return False

    # the latest such mention before ``before``, else the first one after it: walk out from ``before``
    # (at most _TITLE_WALK mentions each way: the work per phrase stays bounded on a long document, issue 20)
    items = ix.items
    k = bisect_left(items, (before,))
    found = next((it for it in reversed(items[max(0, k - _TITLE_WALK) : k]) if fits(it)), None) or next(
        (it for it in items[k : k + _TITLE_WALK] if fits(it)), None
    )
    return found[2] if found is not None else None


_TITLE_WALK = 400


# reporting verbs whose object comes before their complement (وصف X بأنه، اتهم X بـ، أخبر X بأن، حث X على)
_OBJECT_FIRST = {"وصف": "ب", "اتهم": "ب", "أخبر": "ب", "حث": "علي"}
# words with a leading ب that are no complement of those verbs (بعد، بين، بسبب …)
_BA_NOT_COMPLEMENT = frozenset({"بعد", "بين", "بسبب", "بدوره", "بدورها", "بينما", "بحسب", "بشكل", "بعض", "بصفته"})


def _object_first(toks: Sequence[Tok], a: int, b: int, cue: Cue, ix: MentionIndex) -> bool:
    """True when the slot of an object-first verb names one actor, within its first words, and the verb's
    complement follows that name at once (ووصف موسكو بأنها، اتهم المجلس بأنه، حث فلانا على): the name is
    the object, no subject follows the verb. A second name before the complement (اتهم فلان المجلس بـ) keeps the
    first as the subject."""
    prep = _OBJECT_FIRST.get(cue.lemma)
    if prep is None or cue.participle or b <= a:
        return False
    first = ix.in_range(toks[a].start, toks[min(b, a + 6) - 1].end)[:1]
    if not first or first[0][0] > toks[min(b - 1, a + 3)].start:
        return False
    k = next((z for z in range(a, len(toks)) if toks[z].start >= first[0][1]), len(toks))
    if k >= len(toks):
        return False
    w = toks[k].norm
    if prep == "ب":
        return w[:1] == "ب" and len(w) > 2 and w not in _BA_NOT_COMPLEMENT
    return w == prep


def _implied(
    state: dict,
    here: int,
    toks: Sequence[Tok],
    cue: Cue,
    ix: MentionIndex,
    article: Article,
    *,
    participle: bool = False,
) -> tuple[str, ...]:
    """The speaker a cue leaves implicit (وتابع أن …، مشيرا إلى …): a subject before the verb in the same clause
    (رئيسة الحكومة … كانت أعلنت), else the latest speaker or sentence subject before it."""
    if not participle and toks[cue.i].norm[:1] == "ف" and _bare(toks[cue.i].norm) != toks[cue.i].norm:
        # أما فلان، وهو …، فقال: the topic after أما in the same sentence is the subject of the فـ clause
        k = cue.i - 1
        while k >= 0 and toks[k].norm not in _PUNCT_END and toks[k].norm != "اما" and cue.i - k < 40:
            k -= 1
        if k >= 0 and toks[k].norm == "اما":
            end = next((z for z in range(k + 1, cue.i) if toks[z].norm in _CLAUSE_PUNCT), cue.i)
            got = _actor_in(article, toks, k + 1, end, ix) if end > k + 1 else None
            if got and ix.types.get(got[0][0]) != "PER" and end + 1 < cue.i:
                # أما مندوب المنظمة، فلان، فدعا …: the name set off by commas after the title holds it
                named = ix.in_range(toks[end + 1].start, toks[cue.i - 1].end)[:1]
                if named and named[0][3] == "PER" and named[0][0] == toks[end + 1].start:
                    after = next((z for z in range(end + 1, cue.i) if toks[z].start >= named[0][1]), cue.i)
                    if after < cue.i and toks[after].norm in ("،", ","):
                        return (named[0][2],)
            if got:
                return got[0]
    if not participle and toks[cue.i].norm[:1] not in "وف":
        # (a verb with و/ف opens a new clause: its subject is not the words before it)
        k = cue.i - 1
        while k >= 0 and toks[k].norm not in _CLAUSE_PUNCT and toks[k].norm not in _COMP:
            k -= 1
        if k + 1 < cue.i:
            got = _actor_in(article, toks, k + 1, cue.i, ix)
            if got:
                return got[0]
        # فلانة، الحائزة جائزة كذا، تقول إن …: a person who opens the sentence, set off from the verb by an
        # apposition, is its subject
        z = cue.i - 1
        while z >= 0 and toks[z].norm not in _PUNCT_END and toks[z].norm != ":" and cue.i - z < 30:
            z -= 1
        if 0 <= z + 1 < cue.i and cue.i - z < 30:
            first = ix.in_range(toks[z + 1].start, toks[cue.i - 1].end)[:1]
            if first and first[0][3] == "PER" and first[0][0] == toks[z + 1].start:
                return (first[0][2],)
    # the latest entry (in the order recorded) before here: walk back from the end instead of filtering them all
    latest = next((h for h in reversed(state["history"]) if h[0] < here), None)
    unnamed = next((u for u in reversed(state.get("unnamed", ())) if u[0] < here), None)
    if (
        unnamed is not None and state.get("empty_slot") and (latest is None or unnamed[0] > latest[0])
        and here - unnamed[0] < 300
    ):  # fmt: skip  (only a cue with no subject words of its own: وأضاف أن، مشيرا إلى)
        state["implied_desc"] = unnamed[1]  # the unnamed source spoke last: nobody named
        return ()
    return latest[1] if latest is not None else ()


_LEADERS = {
    "من",
    "جانبه",
    "جانبها",
    "جهته",
    "جهتها",
    "بدوره",
    "بدورها",
    "،",
    ",",
    "في",
    "المقابل",
    "الي",
    "ذلك",
    "اما",
    "كما",
    "وفي",
    "ومن",
}


def sentence_subjects(
    article: Article, toks: Sequence[Tok], ix: MentionIndex
) -> list[tuple[int, tuple[str, ...]]]:
    """(offset, actor ids) for each sentence whose opening verb is followed by a named subject (رد الوزير الكندي …)."""
    out = []
    s = 0
    n = len(toks)
    while s < n:
        e = _sentence_end(toks, s, n)
        # words 1..7 of the sentence, up to the first complementiser / circumstance / quotation
        while s < e and toks[s].norm in _LEADERS:
            s += 1
        if s >= e:
            s = e + 1
            continue
        k = s + 1
        while k < min(e, s + 8):
            w = toks[k].norm
            if w in _COMP or w in _BREAKS and not _in_name(toks[k], ix) or w in C.QUOTE_PAIRS or w == ":":
                break
            k += 1
        if k > s + 1 and not ix.overlaps(toks[s].start, toks[s].start + 1):
            first = ix.in_range(toks[s + 1].start, toks[k - 1].end)[:1]
            if (
                first and first[0][0] == toks[s + 1].start and first[0][3] in ("GPE", "ORG")
                and toks[s].norm not in _BREAKS and toks[s + 1].norm[:1] not in "لب"
            ):  # fmt: skip  (وفقا للوكالة، قال …: no verb and its subject)
                # أيدت الدولة قرار فلان: a place or body right after the verb is its subject; a person named after
                # it, past a word that is no title, is in the object
                j = next((z for z in range(s + 1, k) if toks[z].end >= first[0][1]), k - 1) + 1
                while j < k and (toks[j].norm in _SPEAKER_WORDS or _strip_al(toks[j].norm) in _TITLE_HEADS):
                    j += 1
                k = j
            got = _actor_in(article, toks, s + 1, k, ix)
            if got:
                out.append((toks[s].start, got[0]))
        s = e + 1
    return out


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    """Keep one quote per stretch of text: where two overlap, the longer (outer) one stays."""
    quotes = sorted(quotes, key=lambda q: (q.content.start, -(q.content.end - q.content.start)))
    out: list[Quote] = []
    for q in quotes:
        if out and q.content.start < out[-1].content.end:
            prev = out[-1]
            inside = prev.content.start <= q.content.start and q.content.end <= prev.content.end
            if inside:
                continue
            if (q.content.end - q.content.start) > (prev.content.end - prev.content.start):
                out[-1] = q
            continue
        out.append(q)
    return out
