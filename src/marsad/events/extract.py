"""PLOVER events from Arabic news: cue lexicon + actor attribution through the entity and quote layers.

Two frames cover most political news. In *narrative* (استقبل الرئيس التونسي وزير الخارجية المالطي …,
قررت مدريد طرد 5 دبلوماسيين) the source is the subject before or right after the cue and the target the next
actor. In *reported speech* (قال الوزير إن التصريحات الكندية … مرفوضة) the statement is the event: the quote's
speaker is the source and the actor the content is about is the target (PLOVER codes a criticism as DISAPPROVE from
speaker to the criticised actor, a stated intent to cooperate as AGREE). Rules are written by hand because no
maintained Arabic event coder exists (PETRARCH and its dictionaries are English-only; we use them as a coverage
guide, see data/README.md).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from marsad.data import Article, Entity, Event, Quote, Span, content_hash
from marsad.events.lexicon import SYMMETRIC_TYPES, CueEntry, cue_index
from marsad.intervals import IntervalIndex
from marsad.lang.ar.textlayer import Tok, paragraphs, sentence_end, tokens_of
from marsad.quotes.extract import MentionIndex

_QUOTE_MARKS = {'"', "“", "”", "«", "»", "'"}
_GROUP = re.compile(r"الجانب|البلدين|البلدان|الدولتين|الطرفين|الطرفان|بلدينا|الثنائية|الثنائي|المشترك")
_STOPS = {"،", ",", ".", ":", "؛", "(", ")", "-", "–", "—"}
_NEG = {"لم", "لن", "لا", "عدم", "دون", "بدون", "ليس", "ولم", "ولن", "ولا"}
# pronoun/plural suffixes a 4+ letter stem may carry; ان is the dual (تعارضان، يعقدان)
_SUFFIXES = ("", "ه", "ها", "هم", "ات", "ا", "ي", "ين", "ون", "ت", "ته", "تها", "هما", "ان")
_CLITICS = ("وال", "بال", "فال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل")
# relative pronouns that open a clause on the noun before them (العقوبات التي تفرضها الولايات المتحدة)
_RELATIVE = {"التي", "الذي", "الذين", "اللذين", "اللذان", "اللتين", "اللتان", "اللاتي", "اللواتي"}
# the pronoun on the relative clause's verb that points back to the noun (التي تفرضها، الذي أعلنه، الذين يستضيفهم):
# the noun is the verb's object, so the actor right after the verb is its subject
_RESUMPTIVE = {
    "التي": "ها",
    "الذي": "ه",
    "الذين": "هم",
    "اللاتي": "هن",
    "اللواتي": "هن",
}  # dual pronouns: هما
# prepositions (normalised) that introduce the other party of an act (عقوبات على، إجراءات ضد، مباحثات مع)
_PARTY_PREP = {"علي", "ضد", "بحق", "مع"}
_PREPS = _PARTY_PREP | {"في", "من", "الي", "عن", "لدي"}
# light verbs that take a talks/meeting/call noun as object (عقد مباحثات، أجرى اتصالا هاتفيا، بحث … خلال لقاء)
_SUPPORT_VERB = re.compile(
    r"^(?:[يت]?عقد|[يت]?جري|اجري|اجر|[يت]?بحث|بحث|[يت]?واصل|واصل|استانف|[يت]?ستانف|اختتم|[يت]?ختتم)(?:ا|ت|تا|ان|وا|ون)?$"
)
# a verb of responding (رد، ترد، سترد، ردت): what one responds to was aimed at oneself
_RESPONSE = re.compile(r"^(?:س?[يت]?رد|ردت|ردا)$")
# "X ونظيره الروسي Y" / "X ونظيرته Y": the partner coordinated with the subject (a nisba or title may stand between)
_COUNTERPART = re.compile(r"^و\s*(?:نظير|نظيرت|نظراء|نظيري)\S*(?:\s+\S+){0,4}$")


@lru_cache(maxsize=65536)
def _candidates(w: str) -> tuple[str, ...]:
    """The word and its readings with a clitic (and then an article) cut off. Cached: every cue match, stem,
    cluster and vector look-up of the events stage asks for a word's readings."""
    out = [w]
    for c in _CLITICS:
        if w.startswith(c) and len(w) - len(c) >= 3:
            out.append(w[len(c) :])
            if c in ("و", "ف", "ب", "ل") and w[len(c) :].startswith("ال") and len(w) - len(c) - 2 >= 3:
                out.append(w[len(c) + 2 :])
    return tuple(out)


def _word_matches(tok: str, stem: str) -> bool:
    for c in _candidates(tok):
        if c == stem:
            return True
        if len(stem) >= 4 and c.startswith(stem) and c[len(stem) :] in _SUFFIXES:
            return True
    return False


@dataclass(slots=True)
class Actor:
    start: int
    end: int
    ids: tuple[str, ...]
    country: str | None
    type: str


# coreference spans that stand for an actor in a sentence that does not name it (the entities stage's coref layer)
_COREF_ACTORS = frozenset({"descriptor"})


def _coref_actors(article: Article, ents: dict[str, Entity]) -> list[Actor]:
    """The article's coreference spans of the kinds in ``_COREF_ACTORS`` as actors, sorted by start."""
    out = []
    for sp in article.layer("coref"):
        ids = sp.attrs.get("entity") or ()
        ids = (ids,) if isinstance(ids, str) else tuple(ids)
        ent = ents.get(ids[0]) if ids else None
        if sp.attrs.get("kind") in _COREF_ACTORS and ent is not None and ent.type != "MISC":
            out.append(Actor(sp.start, sp.end, ids, ent.country, ent.type))
    out.sort(key=lambda x: x.start)
    return out


# a place (one or two words, or "town، country") then the outlet in brackets and a dash
_DATELINE = re.compile(r"(?:[^()\n.،,]{0,60}[،,][^()\n.]{0,40}|\S+(?: \S+)?)? ?\([^()\n]{1,30}\)\s*[-–—]{1,2}")


def _actors(
    article: Article, toks: Sequence[Tok], ix: MentionIndex, ents: dict[str, Entity] | None = None,
    coref: Sequence[Actor] = (),
) -> list[Actor]:  # fmt: skip
    """Entity mentions, coreference spans (``coref``, from :func:`_coref_actors`: الحركة → the movement named before)
    and nisba adjectives (الأفعال الأمريكية → United States), in text order; a nisba right before a person of the
    same country (وزير الخارجية الروسي سيرغي لافروف) yields to the person. ``ents`` (id → entity) is built once per
    article by the caller; without it, here."""
    if ents is None:
        ents = {e.id: e for e in article.entities}
    out: list[Actor] = []
    if not toks:
        return out
    a, b = toks[0].start, toks[-1].end
    # a dateline opening the sentence (مدينة، البلد (CNN)-- / مدينة (رويترز) -) says where and by whom it was filed:
    # no party to what the sentence reports
    dl = _DATELINE.match(article.text, a, b)
    for s, e, eid, typ in ix.in_range(dl.end() if dl else a, b):
        if typ in ("MISC",):
            continue
        if article.text[e : e + 4].replace(" ", "").startswith((")--", ")-", "--")):
            continue  # the outlet of a dateline elsewhere: "(CNN)--" names who filed it, not a party
        ent = ents.get(eid)
        out.append(Actor(s, e, (eid,), ent.country if ent else None, typ))
    if coref:
        named = [(x.start, x.end) for x in out]
        i = bisect_left(coref, a, key=lambda x: x.start)
        while i < len(coref) and coref[i].start < b:
            x = coref[i]
            if x.end <= b and not any(cs < x.end and x.start < ce for cs, ce in named):
                out.append(x)
            i += 1
    covered = [(x.start, x.end) for x in out]
    for t in toks:
        w = t.norm
        base = w[2:] if w.startswith("ال") else w
        if base in ix.nisba and not any(cs < t.end and t.start < ce for cs, ce in covered):
            gid = ix.nisba[base]
            ent = ents.get(gid)
            out.append(Actor(t.start, t.end, (gid,), ent.country if ent else None, "NISBA"))
    out.sort(key=lambda x: x.start)
    merged: list[Actor] = []
    for i, act in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if act.type == "NISBA":
            if (
                nxt
                and nxt.type == "PER"
                and nxt.start - act.end < 40
                and (nxt.country in (None, act.country))
            ):
                continue
        if act.type == "ORG" and nxt and nxt.type == "PER" and nxt.start - act.end < 30:
            gap = article.text[act.end : nxt.start]
            if "،" not in gap and "," not in gap and " و" not in gap:
                continue  # رئيس هيئة الأركان الأردنية اللواء فلان: the organisation is the person's title
        merged.append(act)
    return merged


@dataclass(slots=True)
class SentenceUnit:
    """One sentence of a body paragraph: the paragraph's tokens, the sentence's first and last token, its actors."""

    toks: list[Tok]
    s0: int
    s1: int  # last token (inclusive)
    actors: list[Actor]


def sentence_units(article: Article, ix: MentionIndex) -> Iterator[SentenceUnit]:
    """The sentences the event rules and the learned event candidates both read, in text order."""
    ents = {e.id: e for e in article.entities}
    coref = _coref_actors(article, ents)
    for pa, pb in paragraphs(article):
        toks = tokens_of(article, pa, pb)
        if not toks:
            continue
        actors = _actors(article, toks, ix, ents, coref)
        n = len(toks)
        s0 = 0
        while s0 < n:
            s1 = min(sentence_end(toks, s0, n), n - 1)
            a, b = toks[s0].start, toks[s1].end
            yield SentenceUnit(toks, s0, s1, [x for x in actors if a <= x.start and x.end <= b])
            s0 = s1 + 1


def extract_events(
    article: Article, *, index: MentionIndex | None = None, units: Sequence[SentenceUnit] | None = None
) -> list[Event]:
    """The rule events. ``units``: the article's :func:`sentence_units` when the caller has them already (the
    learned candidates read the same sentences; they are not changed here)."""
    ix = index or MentionIndex.of(article)
    ents = {e.id: e for e in article.entities}
    quotes = quote_index(article)
    dates = date_index(article)
    found: dict[tuple, Event] = {}
    recent: list[Actor] = []  # actors seen so far, for the counterpart of a bare "the two sides"
    for unit in units if units is not None else sentence_units(article, ix):
        toks, sent_actors, end = unit.toks, unit.actors, unit.s1 + 1
        for k in range(unit.s0, end):
            for entry in _entries_for(toks[k].norm):
                end_k = _match_rest(toks, k, entry, end)
                if end_k is None:
                    continue
                made = _make_event(article, toks, k, end_k, entry, quotes, sent_actors, recent, ents, dates)
                for ev in made if isinstance(made, list) else [made] if made is not None else []:
                    key = (ev.type, frozenset(ev.source), frozenset(ev.target), ev.negated)
                    if ev.symmetric:
                        key = (ev.type, frozenset(ev.source) | frozenset(ev.target), frozenset(), ev.negated)
                    if key not in found or found[key].confidence < ev.confidence:
                        found[key] = ev
        recent.extend(sent_actors)
    return sorted(found.values(), key=lambda e: e.evidence.start)


@lru_cache(maxsize=65536)
def _entries_for(word: str) -> tuple[CueEntry, ...]:
    """Lexicon entries whose first stem this (normalised) word can be: clitics and suffixes tried off."""
    idx = cue_index()
    forms = _cue_forms()
    out: list[CueEntry] = []
    for cand in _candidates(word):
        if cand not in forms:
            continue  # none of its stems is a first stem of the lexicon (most words): no suffix tried off
        for stem in _stems_of(cand):
            for entry in idx.get(stem, ()):
                if entry not in out:
                    out.append(entry)
    return tuple(out)


@lru_cache(maxsize=1)
def _cue_forms() -> frozenset[str]:
    """Every word one of whose :func:`_stems_of` is a first stem of the lexicon: such a stem itself, and such a stem
    of four letters or more with one of the suffixes."""
    out: set[str] = set()
    for stem in cue_index():
        out.add(stem)
        if len(stem) >= 4:
            out.update(stem + suf for suf in _SUFFIXES[1:])
    return frozenset(out)


def _stems_of(cand: str) -> list[str]:
    out = [cand]
    for suf in _SUFFIXES[1:]:
        if cand.endswith(suf) and len(cand) - len(suf) >= 4:
            out.append(cand[: -len(suf)])
    return out


def _match_rest(toks: Sequence[Tok], k: int, entry: CueEntry, limit: int) -> int | None:
    """Token index after the match of a multiword entry starting at k, else None."""
    if not _word_matches(toks[k].norm, entry.words[0]):
        return None
    j = k + 1
    words = entry.words[1:]
    w = 0
    while w < len(words):
        if words[w] == "~":
            target = words[w + 1]
            for z in range(j, min(j + 4, limit)):
                if _word_matches(toks[z].norm, target):
                    j = z + 1
                    break
            else:
                return None
            w += 2
            continue
        while j < limit and toks[j].norm in _QUOTE_MARKS:
            j += 1  # "المسؤولة" عن: quotation marks do not break a cue
        if j >= limit or not _word_matches(toks[j].norm, words[w]):
            return None
        j += 1
        w += 1
    return j


def quote_index(article: Article) -> IntervalIndex[Quote]:
    """The quotes of ``article`` by content span (in order of content start; ties keep the article's order)."""
    quotes = sorted(article.quotes, key=lambda q: q.content.start)
    return IntervalIndex(quotes, lambda q: q.content.start, lambda q: q.content.end)


def _quote_at(quotes: IntervalIndex[Quote], off: int) -> Quote | None:
    """The first quote (by content start) whose content holds ``off``."""
    hits = quotes.containing(off)
    return hits[0] if hits else None


def date_index(article: Article) -> IntervalIndex[Span]:
    """The article's resolved dates by position (what :func:`_date_for` reads)."""
    return IntervalIndex(
        [d for d in article.layer("dates") if d.attrs.get("date")], lambda d: d.start, lambda d: d.end
    )


def _make_event(
    article: Article,
    toks: Sequence[Tok],
    k: int,
    end_k: int,
    entry: CueEntry,
    quotes: IntervalIndex[Quote],
    sent_actors: list[Actor],
    recent: list[Actor],
    ents: dict,
    dates: IntervalIndex[Span],
) -> Event | list[Event] | None:
    off = toks[k].start
    all_actors = list(sent_actors)  # places stay available for the location even when they are not parties
    q = _quote_at(quotes, off)
    if entry.scope == "s":
        return None  # a sentence-level cue (هجوم، مقتل …) that names no dyad by itself
    if entry.scope == "q" and q is None:
        return None
    if entry.scope == "n" and q is not None:
        # a reported act (ردا على قرار مدريد طرد دبلوماسيين): read it like narrative, inside the quote only
        sent_actors = [a for a in sent_actors if q.content.start <= a.start < q.content.end]
        q = None
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    extra_src: list[tuple[str, ...]] = []  # further sources of the same act (co-subjects)
    confidence = 0.6
    if q is not None:
        if not q.speaker:
            return None
        src = tuple(q.speaker)
        src_c = {ents[i].country for i in src if i in ents and ents[i].country}
        frame_lo = q.cue.end if q.cue is not None and q.cue.end <= q.content.start else q.content.start
        inside = [a for a in sent_actors if frame_lo <= a.start < q.content.end]
        pool = [a for a in inside if not (set(a.ids) & set(src)) and not (a.country and a.country in src_c)]
        # the actor the statement is about stands near the cue (within about 15 words)
        after = [a for a in pool if off <= a.start < off + 120]
        before = [a for a in pool if off - 120 < a.start < off]
        pick = after[0] if after else (before[-1] if before else None)
        if entry.words[-1] in ("عن", "في") and before:
            pick = before[-1]  # روسيا مسؤولة عن …: the actor held responsible stands before the cue
        if entry.type == "AGREE":
            # intent to work *with* someone: the partner follows مع; "the two sides" point to the counterpart
            pick = next(
                (a for a in after if " مع " in f" {article.text[off : a.start]} " and a.start - off < 80),
                None,
            )
            if pick is None and not _GROUP.search(article.text[q.content.start : q.content.end]):
                return None
        if entry.type == "REQUEST":
            # على كندا أن …: the addressee stands inside the cue frame, not anywhere in the statement
            frame_end = toks[end_k - 1].end + 15
            pick = next((a for a in after if a.start <= frame_end), None)
        if pick is None and entry.type in ("AGREE", "CONSULT"):
            # "the two sides" / "we": the counterpart is the latest actor of another country
            # (a country before a person: "the two sides" are states)
            # generators, not a list: the walk back stops at the latest match instead of copying every actor so far
            pick = next(
                (a for a in reversed(recent) if a.type == "GPE" and a.country and a.country not in src_c),
                None,
            ) or next(
                (a for a in reversed(recent) if a.type == "PER" and a.country and a.country not in src_c),
                None,
            )
            confidence = 0.4
        if pick is None:
            return None
        tgt = pick.ids
        confidence += 0.1
        if entry.pos == "v":
            # "X and we oppose …" (موسكو وبكين تعارضان …, said by a Russian): a coordinated subject that includes the
            # speaker's side makes the other members sources of the same act
            chain = _subject_chain(article, inside, off)
            if len(chain) >= 2 and any(
                set(a.ids) & set(src) or (a.country and a.country in src_c) for a in chain
            ):
                tgt_c = {ents[i].country for i in tgt if i in ents and ents[i].country}
                for a in chain:
                    if set(a.ids) & (set(src) | set(tgt)) or (a.country and a.country in src_c | tgt_c):
                        continue
                    extra_src.append(a.ids)
    else:
        # the subject stands close to the cue: just before it (SVO, قررت لندن طرد) or just after it (VSO)
        clause_start = k
        while clause_start > 0 and toks[clause_start - 1].norm not in _STOPS and k - clause_start < 10:
            clause_start -= 1
        lo = toks[clause_start].start
        hi_k = min(len(toks) - 1, end_k + 14)
        sent_actors = [a for a in sent_actors if not _locative(article, a)]
        if entry.pos == "n":
            rel = _relative_clause(toks, end_k, sent_actors)
            if rel is not None:
                # العقوبات التي تفرضها الولايات المتحدة على …: the act's agent is the relative clause's subject, not
                # the main clause's; the other party follows على/ضد/مع inside it, and without one there is no dyad
                agent, parties = rel
                if agent is not None and not parties:
                    # ردت إيران على العقوبات التي فرضتها واشنطن: who responds to an act is the one it was aimed at
                    responder = _responder(toks, k, sent_actors, agent)
                    parties = [responder] if responder is not None else []
                if agent is None or not parties:
                    return None
                src = _coordinated(article, [agent])
                tgt = _coordinated(article, parties)
                return _finish(article, toks, k, end_k, entry, None, src, tgt, 0.5, all_actors, dates)
        before = [a for a in sent_actors if lo <= a.start and a.end <= off]
        after = [a for a in sent_actors if toks[end_k - 1].end <= a.start <= toks[hi_k].end]
        cue_end = toks[end_k - 1].end
        with_actor = next(
            (a for a in after if a.start - cue_end < 60 and " مع " in f" {article.text[cue_end : a.start]} "),
            None,
        )
        if with_actor is not None:
            # اتصال هاتفي مع نظيره الياباني: the partner follows مع, the subject is earlier in the sentence
            subj = [a for a in sent_actors if a.end <= off and not (set(a.ids) & set(with_actor.ids))]
            if subj:
                before, after = [subj[-1]], [with_actor]
        between = next(
            (
                a
                for a in after
                if a.start - cue_end < 80 and " بين " in f" {article.text[cue_end : a.start]} "
            ),
            None,
        )
        if between is not None and entry.type in ("ASSAULT", "CONSULT", "COOPERATE", "AGREE", "SUPPORT"):
            # اشتباكات بين وحدات حماية الشعب ومقاتلي الدولة الإسلامية: the two sides of بين
            rest = [a for a in after if a.start >= between.start]
            side_a = _coordinated(article, rest)
            side_b = [a for a in rest if not (set(a.ids) & set(side_a))]
            if side_b:
                side_b_ids = _coordinated(article, side_b)
                one = _finish(
                    article, toks, k, end_k, entry, None, side_a, side_b_ids, 0.5, all_actors, dates
                )
                two = _finish(
                    article, toks, k, end_k, entry, None, side_b_ids, side_a, 0.5, all_actors, dates
                )
                return [e for e in (one, two) if e is not None]
        if entry.pos == "n" and entry.type == "CONSULT" and with_actor is None:
            pair = _joint_subject(article, toks, k, sent_actors)
            if pair is not None:
                # عقد X ونظيره Y مباحثات: a light verb whose coordinated subject are the two parties of the talks
                return _finish(article, toks, k, end_k, entry, None, pair[0], pair[1], 0.5, all_actors, dates)
            return None  # talks/meeting as a noun name their partner (مع X / بين X و Y), else the dyad is a guess
        if entry.pos == "n":
            # a noun cue: its subject is a genitive right after it (طرد لندن) or stands before it (قررت لندن طرد)
            adjacent = bool(after) and after[0].start - cue_end <= 2
            if not adjacent:
                before = before or [a for a in sent_actors if a.end <= off][-1:]
        before_close = bool(before) and off - before[-1].end < 12
        after_close = bool(after) and after[0].start - toks[end_k - 1].end < 40
        if entry.pos == "n" and before:
            after_close = bool(after) and after[0].start - cue_end <= 2
        if after_close and not before_close:
            before = []  # استقبل الرئيس التونسي …: a verb before its subject (VSO)
        if len(before) >= 2 and not after and toks[clause_start].norm[:1] in "وف":
            # ووصفت البرازيل موقف الأرجنتين بأنه متسرع: verb, subject, object, then the cue
            after = [before[1]]
            before = [before[0]]
        earlier = [a for a in sent_actors if a.end <= off]
        if not before and len(after) == 1 and earlier and toks[k].norm[:1] in "وف":
            # ألغت رئيسة الوزراء … دعوة لافروف، وهددت بعدم حضور … في روسيا: a second verb shares the subject
            before = [earlier[0]]
        if before:
            s_act = before[-1]
        elif after:
            s_act = after.pop(0)
        else:
            return None
        # a coordinated subject (وزراء كل من النرويج والسويد وفنلندا) acts together
        src = _coordinated(article, [s_act] + [a for a in after if a.start > s_act.start])
        cand = [
            a for a in after if not (set(a.ids) & set(src)) and not (a.country and a.country == s_act.country)
        ]
        if not cand:
            return None
        if entry.words[0] in _ACCUSE:
            # اتهم لافروف … بريطانيا بانتهاك …: the accused is the actor right before the بـ of the charge
            charged = [a for a in cand if _before_charge(article, a)]
            if charged:
                cand = charged
        tgt = _coordinated(article, cand)
    main = _finish(article, toks, k, end_k, entry, q, src, tgt, confidence, all_actors, dates)
    if not extra_src:
        return main
    more = [
        _finish(article, toks, k, end_k, entry, q, s, tgt, confidence - 0.1, all_actors, dates)
        for s in extra_src
    ]
    return [e for e in [main, *more] if e is not None]


def _tok_at(toks: Sequence[Tok], off: int) -> int:
    for i, t in enumerate(toks):
        if t.start <= off < t.end or off < t.start:
            return i
    return len(toks)


def _relative_clause(
    toks: Sequence[Tok], end_k: int, actors: Sequence[Actor]
) -> tuple[Actor | None, list[Actor]] | None:
    """A relative clause on a noun cue whose verb points back to the noun (الرسوم الجمركية التي تفرضها الولايات
    المتحدة على …): (the verb's subject or None, the actors after على/ضد/بحق/مع in the clause). None when the noun
    has no such clause (up to three adjectives may stand between the noun and the relative pronoun)."""
    n = len(toks)
    j = end_k
    while j < min(end_k + 4, n) and toks[j].norm not in _RELATIVE:
        if toks[j].norm in _STOPS or toks[j].norm in _QUOTE_MARKS:
            return None
        j += 1
    if j >= n - 1 or toks[j].norm not in _RELATIVE:
        return None
    pron, verb = toks[j].norm, toks[j + 1].norm
    want = _RESUMPTIVE.get(pron, "هما")
    if not verb.endswith(want) or len(verb) - len(want) < 3:
        return None
    end = j + 2
    while end < n and end < j + 16 and toks[end].norm not in _STOPS and toks[end].norm not in _RELATIVE:
        end += 1
    lo, hi = toks[j + 1].end, toks[end - 1].end
    inner = [a for a in actors if lo <= a.start and a.end <= hi]
    agent: Actor | None = None
    parties: list[Actor] = []
    for a in inner:
        i = _tok_at(toks, a.start)
        prev = toks[i - 1].norm if i - 1 > j + 1 else ""
        prep = prev in _PARTY_PREP
        if agent is None and not parties and not prep:
            if i - (j + 1) <= 5 and not any(t.norm in _PREPS for t in toks[j + 2 : i]):
                agent = a
            continue
        if prep:
            parties.append(a)
        elif parties and _coordinated_pair(a, parties[-1], toks):
            parties.append(a)
    return agent, parties


def _responder(toks: Sequence[Tok], k: int, actors: Sequence[Actor], agent: Actor) -> Actor | None:
    """The subject of a response verb whose على-object is the cue (كندا سترد على قرار الحظر, ردت البرازيل على
    العقوبات): the actor right before (SVO) or right after (VSO) the verb, else None."""
    start = k
    while start > 0 and toks[start - 1].norm not in _STOPS and k - start < 6:
        start -= 1
    for v in range(k - 1, start - 1, -1):
        if not any(_RESPONSE.match(c) for c in _candidates(toks[v].norm)):
            continue
        if not any(t.norm == "علي" for t in toks[v + 1 : k]):
            return None
        verb = toks[v]
        near = [
            a
            for a in actors
            if (a.end <= verb.start and verb.start - a.end <= 2)
            or (a.start >= verb.end and a.start - verb.end <= 2 and a.end <= toks[k].start)
        ]
        near = [a for a in near if not (set(a.ids) & set(agent.ids)) and a.country != agent.country]
        return near[-1] if near and near[-1].end <= verb.start else (near[0] if near else None)
    return None


def _coordinated_pair(a: Actor, prev: Actor, toks: Sequence[Tok]) -> bool:
    """a follows prev across a bare و or a comma (a clitic و on a's first word counts)."""
    between = [t.norm for t in toks if prev.end <= t.start and t.end <= a.start]
    return between in ([], ["و"], ["،"], [","], ["،", "و"])


def _subject_chain(article: Article, actors: Sequence[Actor], off: int) -> list[Actor]:
    """The actors coordinated right before a verb (موسكو وبكين تعارضان): the subject of an SVO clause, else []."""
    prior = [a for a in actors if a.end <= off]
    if not prior or article.text[prior[-1].end : off].strip():
        return []
    chain = [prior[-1]]
    for a in reversed(prior[:-1]):
        gap = article.text[a.end : chain[0].start].strip()
        if gap not in ("و", "،", ",", "، و", "،و") and not (
            gap == "" and article.text[chain[0].start - 1 : chain[0].start] == "و"
        ):
            break
        chain.insert(0, a)
    return chain


def _joint_subject(
    article: Article, toks: Sequence[Tok], k: int, actors: Sequence[Actor]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The two parties of a talks/meeting/call noun that is the object of a light verb whose subject is coordinated:
    عقد وزير الخارجية التونسي ونظيره المالطي مباحثات، الوزيران يجريان محادثات."""
    start = k
    while start > 0 and toks[start - 1].norm not in _STOPS and k - start < 20:
        start -= 1
    if not any(_SUPPORT_VERB.match(c) for t in toks[start:k] for c in _candidates(t.norm)):
        return None
    lo, off = toks[start].start, toks[k].start
    before = [a for a in actors if lo <= a.start and a.end <= off]
    for i in range(len(before) - 1, 0, -1):
        a, b = before[i - 1], before[i]
        if set(a.ids) & set(b.ids):
            continue
        gap = article.text[a.end : b.start].strip()
        if "،" in gap or "," in gap:
            continue
        plain = gap == "و" or (gap == "" and article.text[b.start - 1 : b.start] == "و")
        titled = (
            bool(gap)
            and gap.startswith("و")
            and len(gap.split()) <= 4
            and (a.country is not None and b.country is not None and a.country != b.country)
        )
        if plain or titled or _COUNTERPART.match(gap):
            return a.ids, b.ids
    return None


_ACCUSE = {"اتهم", "تتهم", "يتهم", "اتهام", "اتهامات"}


def _before_charge(article: Article, a: Actor) -> bool:
    rest = article.text[a.end : a.end + 12].lstrip()
    return rest.startswith("ب") and not rest.startswith(("بين", "بعد", "بسبب"))


def _finish(
    article: Article,
    toks: Sequence[Tok],
    k: int,
    end_k: int,
    entry: CueEntry,
    q: Quote | None,
    src: tuple[str, ...],
    tgt: tuple[str, ...],
    confidence: float,
    sent_actors: Sequence[Actor],
    dates: Sequence[Span] | IntervalIndex[Span],
) -> Event | None:
    off = toks[k].start
    if set(src) & set(tgt):
        return None
    negated = any(t.norm in _NEG for t in toks[max(0, k - 2) : k])
    modality = None if entry.modality in ("fact", "") else entry.modality
    if entry.modality == "fut":
        modality = "intend"
    if q is not None and (
        q.attrs.get("cue_lemma") in ("تمنى",) or "امل" in article.text[q.cue.start : q.cue.end + 12]
        if q.cue
        else False
    ):
        modality = modality or "hope"
    if negated and q is not None:
        return None
    date = _date_for(article, off, dates)
    ev_start, ev_end = toks[k].start, toks[end_k - 1].end
    if q is not None:
        ev_start, ev_end = min(ev_start, q.content.start), max(ev_end, q.content.end)
    evidence = Span(ev_start, ev_end, "event", {"cue": article.text[toks[k].start : toks[end_k - 1].end]})
    eid = content_hash(article.id, entry.type, ",".join(src), ",".join(tgt), str(toks[k].start), length=12)
    location = _location(article, sent_actors, src, tgt)
    return Event(
        id=eid, type=entry.type, evidence=evidence, source=src, target=tgt, mode=entry.mode, date=date,
        negated=negated, modality=modality, symmetric=entry.type in SYMMETRIC_TYPES, location=location,
        confidence=round(confidence, 2), cameo=entry.cameo, quad_class=entry.quad, goldstein=entry.goldstein,
        attrs={"quote": q.id if q else None, "cue": evidence.attrs["cue"]},
    )  # fmt: skip


def _coordinated(article: Article, acts: Sequence[Actor]) -> tuple[str, ...]:
    """The first actor plus those joined to it by و or a comma (النرويج والسويد وفنلندا)."""
    if not acts:
        return ()
    ids = list(acts[0].ids)
    prev = acts[0]
    for a in acts[1:]:
        gap = article.text[prev.end : a.start].strip()
        if gap not in ("و", "،", ",", "، و", "،و") and not (
            gap == "" and article.text[a.start - 1 : a.start] == "و"
        ):
            break
        ids.extend(i for i in a.ids if i not in ids)
        prev = a
    return tuple(ids)


def _locative(article: Article, a: Actor) -> bool:
    """في برلين / ببرلين: a place where something happens, not a party to it."""
    if a.type not in ("GPE", "LOC"):
        return False
    left = article.text[max(0, a.start - 3) : a.start]
    return left.endswith("في ") or (a.start > 0 and article.text[a.start - 1] == "ب")


def _days_apart(a: str, b: str | None) -> int:
    from datetime import date

    if not b:
        return 0
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return 10**6


def _date_for(article: Article, off: int, dates: Sequence[Span] | IntervalIndex[Span]) -> str | None:
    """The date stated in the same stretch of text before the cue (the dates layer resolves اليوم الأربعاء, أمس …
    against the publication date), else the publication date."""
    best = None
    # only dates that start in the 300 characters up to the cue can count: an index answers without a scan
    near = dates.starting_in(off - 299, off + 1) if isinstance(dates, IntervalIndex) else dates
    for d in near:
        if d.start <= off and off - d.start < 300 and d.attrs.get("kind") not in ("published", "dateline"):
            if d.attrs.get("granularity") not in (None, "day"):
                continue  # العام القادم, مارس: not the day of an event
            if article.published and str(d.attrs["date"]) > article.published:
                continue  # a future date is what is planned, the statement is dated by the article
            if _days_apart(str(d.attrs["date"]), article.published) <= 45:
                best = (
                    d  # a date far from publication is background (a past test, an old deal), not this event
                )
    if best is not None:
        return str(best.attrs["date"])
    return article.published


def _location(
    article: Article, sent_actors: Sequence[Actor], src: tuple[str, ...], tgt: tuple[str, ...]
) -> str | None:
    for a in sent_actors:
        if a.type in ("GPE", "LOC") and not (set(a.ids) & (set(src) | set(tgt))):
            left = article.text[max(0, a.start - 3) : a.start]
            if left.endswith(("في ", "ب")):
                return a.ids[0]
    return None


def sentence_types(text: str, *, learned: bool = False) -> set[str]:
    """PLOVER types whose cues occur in a piece of text, ignoring actors (sentence-level detection, as in the
    Arabic PLOVER gold-standard records: "is this sentence a PROTEST / ASSAULT?"). ``learned=True`` decides
    PROTEST and ASSAULT with the shipped sentence classifier instead (:mod:`marsad.events.sentence_clf`), which is
    far more precise than cue words alone."""
    found = _lexicon_types(text)
    if learned:
        from marsad.events.sentence_clf import load

        clf = load()
        if clf is not None:
            found -= set(clf.models)
            found |= clf.types(text)
    return found


def _lexicon_types(text: str) -> set[str]:
    from marsad.data import Article as _A

    art = _A.new(text)
    toks = tokens_of(art, 0, len(text))
    idx = cue_index()
    found: set[str] = set()
    for k, t in enumerate(toks):
        for cand in _candidates(t.norm):
            for stem in _stems_of(cand):
                for entry in idx.get(stem, ()):
                    if entry.type in found:
                        continue
                    if _match_rest(toks, k, entry, len(toks)) is not None:
                        neg = any(x.norm in _NEG for x in toks[max(0, k - 4) : k])
                        if not neg:
                            found.add(entry.type)
    return found
