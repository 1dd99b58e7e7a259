"""Speakers as a ranking: for every quote, every entity of the article is a candidate speaker, scored by a learned
model from where its mentions stand relative to the cue and the content (the speaker slot right after the cue,
the subject before it, the previous paragraph, inside the content), its type and salience, what the hand-written
attribution rules chose (:mod:`marsad.quotes.extract`), and the previous quote's speaker.

``marsad train quotes`` learns the model from gold articles; applying it needs numpy only. Joint statements keep
a second speaker when it is almost as likely as the first and named beside it (وزيرا مالية كندا والمكسيك).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from marsad.data import Article, Entity, Quote
from marsad.lang.ar.normalize import normalize
from marsad.learn.linear import LinearModel
from marsad.quotes import cues as C
from marsad.quotes.extract import CUE_FORMS, MentionIndex
from marsad.quotes.slot import SOURCE as SLOT_SOURCE
from marsad.quotes.slot import unnamed_source

MODEL_FILE = "data/speaker_model.npz"
# Inverse L2 strength of the ranker: train 5-fold CV quotes attributed F1 0.704 / 0.707 / 0.708 / 0.707 / 0.705 /
# 0.705 at C = 0.1 / 0.2 / 0.3 / 0.5 / 1 / 3 (scratch loop over cached pre-quotes articles, same folds and scorer)
DEFAULT_C = 0.3
SPEAKER_TYPES = ("PER", "ORG", "GPE")


# A dual title in construct state opens a joint statement: شدد وزيرا مالية كندا والمكسيك، اتفق رئيسا البلدين …
_DUAL_TITLE = re.compile(r"^و?(وزير|رئيس|سفير|مندوب|ممثل|زعيم|قائد|نائب|امين)ا$")


def dual_title_speakers(article: Article, q: Quote) -> tuple[str, ...] | None:
    """The two people a dual title names (وزيرا مالية كندا والمكسيك → the finance minister of each country): the
    title right after the cue, two countries named beside it, and for each country the one person of the article
    who holds a role with that title. None when any step is not clear."""
    if q.cue is None or q.cue.end > q.content.start or q.content.start - q.cue.end > 120:
        return None
    slot_a, slot_b = q.cue.end, q.content.start
    words = article.text[slot_a:slot_b].split()
    m = _DUAL_TITLE.match(normalize(words[0])) if words else None
    if m is None:
        return None
    title = m.group(1)
    countries: list[str] = []
    for ent in article.entities:
        if ent.type == "GPE" and ent.country and any(slot_a <= x.start < slot_b for x in ent.mentions):
            if ent.country not in countries:
                countries.append(ent.country)
    if len(countries) != 2:
        return None
    chosen: list[str] = []
    for country in countries:
        holders = [
            e for e in article.entities
            if e.type == "PER" and e.country == country
            and any(title in normalize(article.text[r.start : r.end]).split() for r in e.roles)
        ]  # fmt: skip
        if len(holders) != 1:
            return None
        chosen.append(holders[0].id)
    return tuple(chosen)


# Title nouns (without ال) that a later bare title (الوزير، المتحدث) uses to refer back to the person who holds it.
_TITLES = {
    "وزير", "وزيره", "رييس", "رييسه", "متحدث", "متحدثه", "ناطق", "سفير", "سفيره", "مندوب", "مندوبه", "امين",
    "مدير", "مديره", "مستشار", "قايد", "زعيم", "ملك", "امير", "محافظ", "حاكم", "عمده", "مدرب", "نايب", "مساعد",
    "مفوض", "منسق", "قاضي", "مدعي",
}  # fmt: skip


@dataclass
class SpeakerCandidate:
    entity: str
    feats: dict[str, float] = field(default_factory=dict)


def _overlaps(sp: Sequence[tuple[int, int, bool]], st: Sequence[int], reach: int, a: int, b: int) -> bool:
    """Whether a span of ``sp`` (sorted, starts ``st``, none longer than ``reach``) shares a character with
    ``[a, b)``: a bisection and a short walk back instead of a scan of every mention of the entity."""
    k = bisect_left(st, b) - 1
    while k >= 0 and st[k] >= a - reach:
        if sp[k][1] > a:
            return True
        k -= 1
    return False


def cue_gender(word: str) -> str:
    """"m", "f" or "" (plural, dual, unknown): the grammatical gender of a reporting verb's subject, read off the
    verb's normalised form (قال / يقول / موكدا: m; قالت / تقول / موكده: f)."""
    w = word
    if w not in CUE_FORMS and len(w) > 3 and w[0] in "وف" and w[1:] in CUE_FORMS:
        w = w[1:]
    hit = CUE_FORMS.get(w)
    if hit is None:
        return ""
    lemma, participle = hit
    if participle:
        return "f" if w.endswith("ه") else "m" if w.endswith("ا") else ""
    finite = C.VERBS[lemma][0]
    past = finite[0] if finite else ""
    if w.endswith(("وا", "ون", "تا")) or (w.endswith("ا") and w == past + "ا"):
        return ""
    if w == past or w[:1] == "ي":
        return "m"
    if w[-1:] == "ت" or w[:1] == "ت":
        return "f"
    return ""


# Feature names every candidate gets, built once per value rather than formatted per candidate (the same strings,
# inserted in the same order).
@lru_cache(maxsize=4096)
def _base_names(typ: str, sector: str | None, kind: str) -> tuple[str, ...]:
    return f"type:{typ}", f"sector:{sector}", f"kind:{kind}"


@lru_cache(maxsize=4096)
def _before_names(bucket: str, typ: str) -> tuple[str, str]:
    return f"before:{bucket}", f"before:{bucket}|{typ}"


@lru_cache(maxsize=4096)
def _rank_names(rank: int, typ: str) -> tuple[str, str]:
    return f"rank:{rank}", f"rank:{rank}|{typ}"


_MENTIONS = tuple(f"mentions:{n}" for n in range(7))


def _bucket(d: int | None) -> str:
    if d is None:
        return "none"
    for lim in (10, 30, 60, 120, 250, 500, 1000):
        if d <= lim:
            return str(lim)
    return "far"


def _paragraph_of(article: Article, off: int) -> tuple[int, int]:
    text = article.text
    a = text.rfind("\n", 0, off) + 1
    b = text.find("\n", off)
    return a, (len(text) if b < 0 else b)


# Every entity is a candidate for every quote while an article names at most this many; beyond it (a long document:
# a transcript, a digest, concatenated wires) a quote's candidates are the entities named within _NEAR characters of
# it, its rule speaker, the previous quote's speakers and the article's top and first person. The work per quote is
# then bounded, so the stage stays linear in the length of the text (issue 20).
_ALL_CANDIDATES = 64
_NEAR = 2000


def speaker_candidates(
    article: Article, *, index: MentionIndex | None = None,
    choose: Callable[[int, list[SpeakerCandidate], Quote], Sequence[str]] | None = None,
) -> list[list[SpeakerCandidate]]:
    """One list of candidates per quote of ``article.quotes`` (same order). ``choose(i, cands)`` decides quote
    ``i``'s speakers as soon as its candidates are known; the next quote's "previous speaker" features then read
    that decision instead of the rules' speaker (sequential decoding: a corrected speaker carries over to the
    وأضاف / وتابع quotes that follow)."""
    ix = index or MentionIndex.of(article)
    ix_nisba = ix.nisba
    ents = {e.id: e for e in article.entities if e.type in SPEAKER_TYPES}
    if not ents:
        return [[] for _ in article.quotes]
    spans: dict[str, list[tuple[int, int, bool]]] = {eid: [] for eid in ents}
    for s, e, eid, _typ in ix.items:
        if eid in spans:
            spans[eid].append((s, e, False))
    for s, e, ids in ix.coref:
        for eid in ids:
            if eid in spans:
                spans[eid].append((s, e, True))
    starts: dict[str, list[int]] = {}
    for eid in spans:
        spans[eid].sort()
        starts[eid] = [x[0] for x in spans[eid]]
    n_ment = {eid: sum(1 for x in v if not x[2]) for eid, v in spans.items()}
    text = article.text
    # the normalised words of each entity's names (whole mentions, and a person's last name)
    names: dict[str, set[str]] = {}
    for eid, ent in ents.items():
        forms = set()
        for m in ent.mentions:
            n = normalize(text[m.start : m.end])
            if len(n) >= 3:
                forms.add(n)
                if ent.type == "PER" and " " in n and len(n.split()[-1]) >= 3:
                    forms.add(n.split()[-1])
        names[eid] = forms
    # title words standing right before a person's mentions (… مدرب الفريق فلان): a later bare title refers to him
    pre_titles: dict[str, set[str]] = {}
    for eid, ent in ents.items():
        if ent.type != "PER":
            continue
        got: set[str] = set()
        for m in ent.mentions:
            for w in normalize(text[max(0, m.start - 50) : m.start]).split()[-5:]:
                w = w[2:] if w.startswith("ال") else w
                if w in _TITLES:
                    got.add(w)
        pre_titles[eid] = got
    role_words = {
        eid: {w[2:] if w.startswith("ال") else w for r in ent.roles for w in normalize(text[r.start : r.end]).split()}
        & _TITLES
        for eid, ent in ents.items()
    }
    pers = sorted((eid for eid in ents if ents[eid].type == "PER"), key=lambda i: -n_ment[i])
    top_per = pers[0] if pers else None
    first_per = min(pers, key=lambda i: starts[i][0] if starts[i] else 1 << 30) if pers else None
    quotes = list(article.quotes)
    by_start = sorted((x[0], eid) for eid, sp in spans.items() for x in sp)
    span_starts, span_ids = [x[0] for x in by_start], [x[1] for x in by_start]
    rank_of = {eid: i for i, eid in enumerate(ents)}
    by_id = ix.per_article(article, "entities")  # the first entity of each id, as a scan of article.entities finds it
    reach = {eid: max((x[1] - x[0] for x in sp), default=0) for eid, sp in spans.items()}
    out: list[list[SpeakerCandidate]] = []
    prev: Quote | None = None
    prev_spk: tuple[str, ...] = ()
    # the gender of the verb each entity was named the subject of, in the slot, earlier in the article (قالت فلانة:
    # f): a later verb of the other gender with no subject of its own is not hers
    seen_gender: dict[str, str] = {}
    for qi, q0 in enumerate(quotes):
        q = q0
        if (
            choose is not None and prev is not None and q.speaker and q.speaker == prev.speaker
            and q.speaker_span is None and tuple(prev_spk) != tuple(prev.speaker)
        ):  # fmt: skip
            # the rules carried the previous quote's speaker over (وأضاف أن …) and the ranker changed that
            # speaker: the rules' choice here is the ranker's
            q = replace(q, speaker=tuple(prev_spk))
        cue_a = q.cue.start if q.cue is not None else q.content.start
        gender = cue_gender(normalize(text[q.cue.start : q.cue.end]).split()[0]) if q.cue is not None else ""
        gender = gender if q.cue is None or q.cue.end - q.cue.start < 20 else ""
        cue_b = q.cue.end if q.cue is not None else q.content.start
        ca, cb = q.content.start, q.content.end
        q_ents = ents
        if len(ents) > _ALL_CANDIDATES:
            lo, hi = min(cue_a, ca) - _NEAR, max(cb, cue_b) + _NEAR
            near = set(span_ids[bisect_left(span_starts, lo) : bisect_right(span_starts, hi)])
            near.update(i for i in (*q.speaker, *prev_spk, top_per, first_per) if i in ents)
            q_ents = {eid: ents[eid] for eid in sorted(near, key=rank_of.__getitem__)}
        para = _paragraph_of(article, min(cue_a, ca))
        prev_para = _paragraph_of(article, max(0, para[0] - 2)) if para[0] > 0 else (0, 0)
        before_dist: dict[str, int] = {}
        for eid in q_ents:
            st = starts[eid]
            lo = min(cue_a, ca)
            i = bisect_left(st, lo) - 1
            while i >= 0 and ca <= spans[eid][i][0] < cb:
                i -= 1
            if i >= 0:
                before_dist[eid] = lo - spans[eid][i][1]
        rank = {eid: r for r, eid in enumerate(sorted(before_dist, key=before_dist.__getitem__), start=1)}
        per_rank = {
            eid: r
            for r, eid in enumerate(
                sorted((e for e in before_dist if ents[e].type == "PER"), key=before_dist.__getitem__), start=1
            )
        }
        # the order of the entities named in the speaker slot (a title's genitive comes before the holder's name)
        slot_lo0, slot_hi0 = (cue_b, ca) if cue_b <= ca else (cb, min(cb + 120, para[1]))
        firsts = sorted(
            (x[0], eid) for eid in q_ents for x in spans[eid][bisect_left(starts[eid], slot_lo0) : bisect_right(
                starts[eid], slot_hi0)][:1]
        )  # fmt: skip
        slot_order = {eid: n for n, (_s, eid) in enumerate(firsts, start=1)}
        slot_text = normalize(text[slot_lo0:slot_hi0]) if slot_hi0 - slot_lo0 < 200 else ""
        implicit = not slot_text.strip(" ،,:-\"«»“”") or slot_text.split()[0] in ("بالقول", "القول")
        # a title in the slot (الوزير، المتحدث باسم …) refers back to whoever holds that title in the article
        title_words = {w[2:] if w.startswith("ال") else w for w in slot_text.split()} & _TITLES
        sw = slot_text.split()
        slot_countries = {
            c for c in (
                getattr(by_id.get(ix_nisba[w[2:] if w.startswith("ال") else w]), "country", None)
                for w in sw if (w[2:] if w.startswith("ال") else w) in ix_nisba
            ) if c
        }  # fmt: skip
        slot_words = {" ".join(sw[i : i + n]) for n in (1, 2, 3) for i in range(len(sw) - n + 1)}
        titled = {eid for eid in q_ents if role_words[eid] & title_words} if title_words else set()
        # بيان صادر عن X، أصدر X بيانا: the statement's issuer speaks
        ctx = normalize(text[max(para[0], cue_a - 200) : ca])
        issuers: set[str] = set()
        if "بيان" in ctx:
            for eid in q_ents:
                for x in spans[eid][bisect_left(starts[eid], max(para[0], cue_a - 200)) : bisect_right(starts[eid], ca)]:
                    before = normalize(text[max(0, x[0] - 12) : x[0]])
                    tail = normalize(text[x[1] : x[1] + 12])
                    if before.endswith(("صادر عن ", "عن ")) and "بيان" in normalize(text[max(0, x[0] - 40) : x[0]]):
                        issuers.add(eid)
                    elif tail.lstrip().startswith(("بيانا", "بيان")):
                        issuers.add(eid)
        cands = []
        for eid, ent in q_ents.items():
            f: dict[str, float] = dict.fromkeys(_base_names(ent.type, ent.sector, q.kind), 1.0)
            if gender and seen_gender.get(eid, gender) != gender:
                # (the gender alone, or agreement, is no feature: a masculine وقال إنه after المندوب الفلاني speaks
                # for his country by the guideline, and most speakers are men; on dev either let a woman carry a
                # masculine verb over six quotes)
                f["gender_clashes"] = 1.0
            if eid in q.speaker:
                f["rule"] = 1.0
                f[f"rule|{len(q.speaker)}"] = 1.0
                f[f"rule|{q.kind}"] = 1.0
            st, sp = starts[eid], spans[eid]
            slot_lo, slot_hi = (cue_b, ca) if cue_b <= ca else (cb, min(cb + 120, para[1]))
            in_slot = [x for x in sp[bisect_left(st, slot_lo) : bisect_right(st, slot_hi)] if x[1] <= slot_hi + 1]
            if in_slot:
                f["slot"] = 1.0
                lead = normalize(text[max(slot_lo, in_slot[0][0] - 8) : in_slot[0][0]]).split()
                if lead and (lead[-1].startswith("ل") or lead[-1] in ("عن", "الي", "مع")) and in_slot[0][0] > slot_lo:
                    # قال لصحيفة X، نقلا عن X، مع X: whom he spoke to or through, not the speaker
                    f[f"slot_after:{'ل' if lead[-1].startswith('ل') else lead[-1]}"] = 1.0
                f[f"slot|{ent.type}"] = 1.0
                f[f"slot|coref={int(all(x[2] for x in in_slot))}"] = 1.0
                f[f"slot_dist:{_bucket(in_slot[0][0] - slot_lo)}"] = 1.0
            inside = bisect_right(st, cb) - bisect_left(st, ca)
            if inside:
                f["in_content"] = 1.0
            d = before_dist.get(eid)
            for name in _before_names(_bucket(d), ent.type):
                f[name] = 1.0
            if eid in rank:
                for name in _rank_names(min(rank[eid], 5), ent.type):
                    f[name] = 1.0
            if eid in per_rank:
                f[f"per_rank:{min(per_rank[eid], 4)}"] = 1.0
            if bisect_right(st, min(cue_a, ca)) > bisect_left(st, para[0]):  # a mention earlier in the paragraph
                f["same_para_before"] = 1.0
                f[f"same_para_before|{ent.type}"] = 1.0
            if prev_para[1] > prev_para[0] and bisect_right(st, prev_para[1]) - bisect_left(st, prev_para[0]):
                f["prev_para"] = 1.0
            after = bisect_left(st, cb)
            if after < len(st) and st[after] - cb < 60 and st[after] < para[1]:
                f["right_after_content"] = 1.0
            if q.speaker_span is not None and _overlaps(sp, st, reach[eid], q.speaker_span.start, q.speaker_span.end):
                f["in_speaker_span"] = 1.0
            if prev is not None and eid in prev_spk:
                f["prev_speaker"] = 1.0
                f[f"prev_speaker|same_para={int(_paragraph_of(article, prev.content.start) == para)}"] = 1.0
            f[_MENTIONS[min(n_ment[eid], 6)]] = 1.0
            if in_slot:
                order = slot_order.get(eid)
                if order is not None:
                    f[f"slot_order:{min(order, 3)}"] = 1.0
                    f[f"slot_order:{min(order, 3)}|{ent.type}"] = 1.0
            if implicit:
                f["implicit"] = 1.0
                if prev is not None and eid in prev_spk:
                    f["implicit|prev_speaker"] = 1.0
                if rank.get(eid) == 1:
                    f["implicit|nearest_before"] = 1.0
                if per_rank.get(eid) == 1:
                    f["implicit|nearest_per_before"] = 1.0
            if not in_slot and slot_words and names.get(eid, set()) & slot_words:
                f["slot_string"] = 1.0  # its name stands in the slot, where the entity stage marked no mention
                f[f"slot_string|{ent.type}"] = 1.0
            if eid in issuers:
                f["issuer"] = 1.0
            if title_words and eid in titled:
                f["title_backref"] = 1.0
                f[f"title_backref|{ent.type}"] = 1.0
            if title_words and title_words & pre_titles.get(eid, set()):
                f["title_before_mention"] = 1.0  # introduced with the title the slot uses (المدرب … فلان)
            if slot_countries and ent.country in slot_countries and ent.type != "GPE":
                f["slot_nisba_country"] = 1.0  # المسؤول التركي: a Turkish candidate
            if SLOT_SOURCE in (ent.attrs.get("source") or ()):
                f["proposed"] = 1.0
                f[f"proposed|{ent.attrs.get('pattern')}"] = 1.0
            if eid == top_per:
                f["top_per"] = 1.0
            if eid == first_per:
                f["first_per"] = 1.0
            if not sp or sp[0][0] > cb:
                f["first_mention_after"] = 1.0
            cands.append(SpeakerCandidate(eid, f))
        if titled:
            # a title in the slot that a person of the article holds, against a rule speaker that is a place or
            # body (الوزير الفلاني: the country's nisba, or the minister introduced earlier)
            rule_types = {ents[c.entity].type for c in cands if "rule" in c.feats}
            held = any("title_backref|PER" in c.feats for c in cands)
            for c in cands:
                if held and "rule" in c.feats and ents[c.entity].type != "PER":
                    c.feats["rule_nonper|title_held"] = 1.0
                if "title_backref|PER" in c.feats and rule_types and "PER" not in rule_types:
                    c.feats["title_backref|rule_nonper"] = 1.0
        out.append(cands)
        if gender and q.speaker_span is not None and len(q.speaker) == 1 and q.speaker[0] in ents:
            seen_gender[q.speaker[0]] = gender
        prev = q0
        prev_spk = tuple(choose(qi, cands, q)) if choose is not None else q.speaker
    return out


@dataclass
class SpeakerModel:
    linear: LinearModel
    keep_rule_below: float = 0.2  # when no candidate is this likely, the rules' choice stands
    joint: float = 0.5  # a second speaker needs this probability and a mention beside the first
    override_unnamed: float = 0.5  # the probability needed to name a speaker where the rules read an unnamed source
    # The ranker overrides the rules' speaker only when its choice is this much likelier than theirs: a near tie is a
    # coin toss that any retraining may flip (train 5-fold CV 0.723 at 0.03-0.1 against 0.723 without, 0.720 at 0.12;
    # dev 0.886 against 0.872: one dev article's joint statement flipped at 0.315 against 0.303 without it)
    margin: float = 0.06

    def rank(self, cands: Sequence[SpeakerCandidate]) -> list[tuple[str, float]]:
        if not cands:
            return []
        probs = self.linear.proba_many([c.feats for c in cands])  # one numpy pass for the quote's candidates
        scored = [(c.entity, p.get("1", 0.0)) for c, p in zip(cands, probs, strict=True)]
        return sorted(scored, key=lambda x: -x[1])

    sequential: bool = True  # the previous speaker features read the ranker's own decisions (see speaker_candidates)

    def decide(
        self, article: Article, q: Quote, cands: Sequence[SpeakerCandidate], *, no_speakers: Set[str] | None = None
    ) -> Quote:
        """Quote ``q`` with the speakers the ranker gives it (or the rules' where it is unsure). ``no_speakers``:
        the article's :func:`_no_speakers`, when the caller has it already (:meth:`assign` computes it once per
        article); computed here when None."""
        joint = dual_title_speakers(article, q)
        if joint is not None:
            return replace(q, speaker=joint, attrs={**dict(q.attrs), "speaker_rule": "dual-title"})
        ranked = self.rank(cands)
        local = _no_speakers(article) if no_speakers is None else no_speakers
        if local:
            # a town, a province, a coast speaks for nobody: neither the rules' speaker nor the ranker's choice
            ranked = [(e, p) for e, p in ranked if e not in local]
            if q.speaker and all(e in local for e in q.speaker):
                q = replace(q, speaker=())
        floor = self.keep_rule_below
        desc = str(q.attrs.get("description") or "")
        if not q.speaker and desc and unnamed_source(desc):
            # an unnamed source by the guideline's own words (مصدر، مسؤولون، تقارير، وسائل إعلام، عاملون في …, a
            # plural verb with no subject): nobody in particular, whoever the ranker likes nearby (train CV: every
            # such override was wrong, mostly the previous quote's speaker carried over)
            return q
        if not q.speaker and desc and _unnamed_description(desc):
            # the rules read an unnamed source (مصدر، تقارير إعلامية): overriding them needs more; a definite
            # title (المسؤول التركي، الوزير) refers back to someone, which is the ranker's to find
            floor = self.override_unnamed
        if not ranked or ranked[0][1] < floor or (len(q.speaker) > 1 and ranked[0][0] in q.speaker):
            return q  # unsure, or the rules found a joint statement that includes the ranker's choice
        p_rule = max((p for e, p in ranked if e in q.speaker), default=None)
        if p_rule is not None and ranked[0][0] not in q.speaker and ranked[0][1] - p_rule < self.margin:
            return q  # hardly likelier than the rules' speaker
        chosen = [ranked[0][0]]
        if len(ranked) > 1 and ranked[1][1] >= self.joint and _beside(article, ranked[0][0], ranked[1][0], q):
            chosen.append(ranked[1][0])
        attrs = {**dict(q.attrs), "speaker_p": round(ranked[0][1], 3), "rule_speaker": list(q.speaker)}
        return replace(q, speaker=tuple(chosen), attrs=attrs)

    def assign(self, article: Article, *, index: MentionIndex | None = None) -> Article:
        if not article.quotes:
            return article
        quotes: list[Quote] = []
        local = _no_speakers(article)  # the entities are the article's: one set for all its quotes

        def choose(i: int, cands: list[SpeakerCandidate], q: Quote) -> tuple[str, ...]:
            q = q if self.sequential else article.quotes[i]
            quotes.append(self.decide(article, q, cands, no_speakers=local))
            return quotes[-1].speaker if self.sequential else article.quotes[i].speaker

        speaker_candidates(article, index=index, choose=choose)
        return article.evolve(quotes=tuple(quotes))

    def save(self, path: str | Path) -> None:
        self.linear.meta.update(
            {
                "keep_rule_below": self.keep_rule_below, "joint": self.joint,
                "override_unnamed": self.override_unnamed, "margin": self.margin,
            }  # fmt: skip
        )
        self.linear.save(path)

    @classmethod
    def load(cls, path: str | Path) -> SpeakerModel:
        lin = LinearModel.load(path)
        return cls(
            lin, float(lin.meta.get("keep_rule_below", 0.2)), float(lin.meta.get("joint", 0.5)),
            float(lin.meta.get("override_unnamed", 0.5)), float(lin.meta.get("margin", 0.0)),
        )  # fmt: skip


def _no_speakers(article: Article) -> set[str]:
    """Entities that speak for nobody: places below a state that the registry knows (a city, a province, a region),
    and what is no person, body or state at all (a LOC such as a coast or an airport, a MISC; the ranker never has
    them as candidates). The guideline has a state, its government, a body or a person speak (train gold: one such
    registry place among about 150 GPE speakers, 3 LOC / MISC among 1,660; every out-of-fold system quote that named
    one was wrong). A capital stands for its state and stays; a place the registry does not know (a key of its own,
    ~…) may be a state under a name it lacks (المملكة الفلانية) and stays too."""
    return {
        e.id for e in article.entities
        if e.type not in SPEAKER_TYPES or (
            e.type == "GPE" and e.actor_id is not None and not e.is_country
            and not e.actor_id.startswith(("cap:", "~"))
        )
    }


def _unnamed_description(desc: str) -> bool:
    """Whether the rules' description of an unnamed source stays unnamed: indefinite (مصدر دبلوماسي، تقارير
    إعلامية), a definite source or plural of people (المصدر، المسؤولون، المدافعون عن …); a definite singular
    title (المسؤول التركي، الوزير) refers back to someone."""
    from marsad.quotes.cues import UNNAMED
    from marsad.quotes.slot import human_plural

    words = normalize(desc).split()
    first = words[0] if words else ""
    if not first.startswith("ال"):
        # a title in construct with a definite noun is definite (قائد اللواء، وزير الخارجية): the office holder
        # the article names, not an unnamed source
        return not (first in _TITLES and len(words) > 1 and words[1].startswith("ال"))
    # (a plural in -ين is accusative or genitive: دعا الموظفين …, the object, not an unnamed subject)
    return human_plural(first) and first.endswith("ون") or first[2:] in set(UNNAMED) - {"مسوول", "متحدث", "دبلوماسي"}


def _beside(article: Article, a: str, b: str, q: Quote) -> bool:
    """Two speakers named together near the quote's cue (coordinated: X و Y, or a dual title)."""
    ea, eb = article.entity(a), article.entity(b)
    if ea is None or eb is None:
        return False
    lo = (q.cue.start if q.cue is not None else q.content.start) - 250
    hi = q.content.start
    ma = [m for m in ea.mentions if lo <= m.start < hi]
    mb = [m for m in eb.mentions if lo <= m.start < hi]
    for x in ma:
        for y in mb:
            first, second = (x, y) if x.start < y.start else (y, x)
            gap = article.text[first.end : second.start]
            if len(gap) <= 40 and ("و" in gap.split() or gap.strip().startswith("و") or " و" in gap):
                return True
    return False


def proposal_hosts(article: Article, proposed: Sequence[Entity]) -> dict[str, str]:
    """Proposed speaker id -> the entity of the article it names (:func:`marsad.quotes.stage.settle_proposals`):
    the one known entity of its type whose name stands whole inside the proposal's (شركة كذا، كذا الأمريكية
    around كذا). None for a proposal that coordinates two bodies (مجلس كذا والهيئة كذا)."""
    ids = {e.id for e in proposed}
    text = article.text
    types = {p.type for p in proposed}
    names: dict[str, tuple[str, set[str]]] = {}  # a known entity's type and names, normalised
    for e in article.entities:
        if e.id not in ids and e.type in types:
            names[e.id] = (e.type, {" " + normalize(text[m.start : m.end]) + " " for m in e.mentions} - {"  "})
    into: dict[str, str] = {}
    for p in proposed:
        own = {" " + normalize(text[m.start : m.end]) + " " for m in p.mentions}
        if any(" وال" in o for o in own):
            continue  # (two bodies coordinated: مجلس كذا والهيئة كذا is neither alone)
        hosts = {
            eid for eid, (typ, ns) in names.items()
            if typ == p.type and any(n in o and not _kin_of(o, n) for n in ns for o in own)
        }  # fmt: skip
        if len(hosts) == 1:
            into[p.id] = next(iter(hosts))
    return into


_KIN = frozenset({"بن", "بنت", "ابن", "ابو", "ام"})


def _kin_of(name: str, inner: str) -> bool:
    """``inner`` stands in ``name`` after a first name and بن / أبو (محمد بن سلمان around سلمان): the father or son of
    the person named, not that person. (بن فلان alone, with no first name before it, is his family name.)"""
    pre = name[: name.find(inner)].split()
    return len(pre) >= 2 and pre[-1] in _KIN


@lru_cache(maxsize=1)
def shipped_model() -> SpeakerModel | None:
    ref = resources.files("marsad.quotes").joinpath(MODEL_FILE)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as p:
        return SpeakerModel.load(p)


def quote_labels(
    gold: Mapping, article: Article, cands: Sequence[Sequence[SpeakerCandidate]]
) -> list[list[int] | None]:
    """Per quote: 1/0 per candidate (gold speaker or not), or None when the quote matches no gold quote."""
    from marsad.gold.score import coverage, entity_links, tokens

    links = entity_links(gold.get("entities") or [], [e.to_dict(article.text) for e in article.entities], typed=False)
    gq = [(q, tokens(q["text"])) for q in gold.get("quotes") or []]
    out: list[list[int] | None] = []
    for q, cs in zip(article.quotes, cands, strict=True):
        st = tokens(article.text[q.content.start : q.content.end])
        match = [g for g, gt in gq if coverage(gt, st) >= 0.5 or coverage(st, gt) >= 0.5]
        if not match:
            out.append(None)
            continue
        speakers = set().union(*(set(g["speaker"]) for g in match))
        out.append([int(bool(links.get(c.entity, set()) & speakers)) for c in cs])
    return out
