"""Within-article coreference for actors: titles, group references and من جانبه-style pronouns.

Surname mentions (لافروف after سيرجي لافروف) are found by :mod:`marsad.entities.passes` and resolved while
clustering in :mod:`marsad.entities.resolve`; this module adds spans for references that are not names:

- ``title``: نظيره الروسي, نظيرته البريطانية, or a role phrase with a country and no name beside it
  (وزير الخارجية الروسي … وأضاف الوزير الروسي) → the person of that country in the article;
- ``group``: الجانبان، الطرفين، البلدين، الدولتين → both parties (people of two countries, or the two countries);
- ``pronoun``: من جانبه، من جهته، من ناحيته، بدوره → the person named next in the sentence, else the last one;
- ``descriptor``: a bare definite head (الحركة، التنظيم، الميليشيات، المفوضية) → the body the article named with that
  head before (حركة حماس، تنظيم داعش، ميليشيا الحوثي); الأخير/الأخيرة ("the latter") → the actor named last.

Every span is ``Span(start, end, "coref", {"entity": [ids], "kind": ...})`` over ``Article.text``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from functools import cache
from typing import Any

from marsad.data import Entity, Span
from marsad.entities import roles as roles_mod
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

_COUNTERPART = {"نظيره", "نظيرته", "نظيرها", "نظيريه", "نظيرتها", "نظيراه"}
_GROUP_COUNTRIES = {"البلدان", "البلدين", "الدولتان", "الدولتين"}
_GROUP_SIDES = {"الجانبان", "الجانبين", "الطرفان", "الطرفين"}
_PRON_NOUNS = {"جانبه": "m", "جهته": "m", "ناحيته": "m", "جانبها": "f", "جهتها": "f", "ناحيتها": "f"}
_BY_ROLE = {"بدوره": "m", "بدورها": "f"}
_TRIGGERS = (
    _COUNTERPART | _GROUP_COUNTRIES | _GROUP_SIDES | set(_PRON_NOUNS) | set(_BY_ROLE) | {"بلدين", "دولتين"}
)


def _HEADS_ANY(w: str) -> bool:  # noqa: N802 — reads as a predicate table
    return roles_mod.head_sector(w) is not None


def resolve(text: str, units: list[Any], mentions: list[Any], mention_entity: dict[int, str],
            entities: list[Entity], registry: Any) -> list[Span]:  # fmt: skip
    ents = {e.id: e for e in entities}
    # mention positions per unit for "next/previous person" look-ups
    by_unit: dict[int, list[tuple[int, int, str, str]]] = {}
    flat: list[tuple[int, str, str]] = []  # (start, entity id, type)
    for i, m in enumerate(mentions):
        eid = mention_entity[i]
        typ = ents[eid].type
        by_unit.setdefault(m.unit, []).append((m.tok0, m.tok1, eid, typ))
        flat.append((m.start, eid, typ))
    flat.sort()
    counts = Counter(mention_entity.values())
    covered = {(m.unit, k) for m in mentions for k in range(m.tok0, m.tok1)}
    role_covered = {(r.start, r.end) for e in entities for r in e.roles}
    out: list[Span] = []

    office_cache: dict[str, set[str]] = {}

    def offices(e: Entity) -> set[str]:
        """Office classes of a person: from the titles beside their name and the registry's offices."""
        got = office_cache.get(e.id)
        if got is None:
            got = {_office_class(_title_key(text[r.start : r.end])) for r in e.roles}
            got |= _offices(registry, e.actor_id)
            got.discard("")
            office_cache[e.id] = got
        return got

    def people_of(country: str | None) -> list[Entity]:
        return [e for e in entities if e.type == "PER" and country and e.country == country]

    for ui, u in enumerate(units):
        norms, toks = u.norms, u.tokens
        ms = by_unit.get(ui, [])
        for k, w in enumerate(norms):
            if (ui, k) in covered or len(w) < 4:
                continue
            if w not in _TRIGGERS and w[1:] not in _TRIGGERS and w[2:] not in _TRIGGERS and not _HEADS_ANY(w):
                continue
            stem = strip_clitics(w, min_stem=2)[1] if w[:1] in "وفبل" else w
            # -- counterpart titles -------------------------------------------------------------------------
            if stem in _COUNTERPART or w in _COUNTERPART:
                end = k + 1
                country = None
                if end < len(norms) and norms[end] in registry.nisba:
                    country = registry.nisba[norms[end]]
                    end += 1
                nxt = next((m for m in ms if m[0] >= end and m[0] - end <= 1 and m[3] == "PER"), None)
                target = None
                if nxt is not None:
                    target = nxt[2]
                elif country:
                    # the counterpart holds the same office as the person named before it (وزير الخارجية الروسي
                    # … نظيره البريطاني → the British foreign minister, never the British prime minister)
                    before = [f for f in flat if f[0] < toks[k].start and f[2] == "PER"]
                    subject = ents[before[-1][1]] if before else None
                    want_offices = offices(subject) if subject is not None else set()
                    cands = [e for e in people_of(country) if want_offices and want_offices & offices(e)]
                    if cands:
                        target = max(cands, key=lambda e: counts[e.id]).id
                if target:
                    out.append(
                        Span(toks[k].start, toks[end - 1].end, "coref", {"entity": [target], "kind": "title"})
                    )
                continue
            # -- groups ---------------------------------------------------------------------------------------
            if stem in _GROUP_COUNTRIES or stem in _GROUP_SIDES:
                window = units[ui - 1].start if ui > 0 else u.start
                recent = [f for f in flat if window <= f[0] < toks[k].start]
                pair = _recent_pair(ents, recent, sides=stem in _GROUP_SIDES) or _pair(
                    entities, counts, sides=stem in _GROUP_SIDES
                )
                if pair:
                    out.append(Span(toks[k].start, toks[k].end, "coref", {"entity": pair, "kind": "group"}))
                continue
            # -- من جانبه / بدوره ------------------------------------------------------------------------------
            gender = None
            start_k = k
            if w in _BY_ROLE:
                gender = _BY_ROLE[w]
            elif stem in _PRON_NOUNS and k > 0 and norms[k - 1] in ("من", "ومن"):
                gender = _PRON_NOUNS[stem]
                start_k = k - 1
            if gender:
                want = ("PER",) if gender == "m" else ("PER", "ORG", "GPE")
                nxt = next((m for m in ms if m[0] > k and m[3] in want), None)
                target = nxt[2] if nxt else None
                if target is None:
                    before = [f for f in flat if f[0] < toks[k].start and f[2] in want]
                    target = before[-1][1] if before else None
                if target:
                    out.append(
                        Span(
                            toks[start_k].start, toks[k].end, "coref", {"entity": [target], "kind": "pronoun"}
                        )
                    )
                continue
            # -- a role phrase with a country and no name beside it --------------------------------------------
            if roles_mod.head_sector(w) and (toks[k].start, toks[k].end) not in role_covered:
                span = _title_phrase(registry, u, k, covered, ui)
                if span is None or any(a <= span.start and span.end <= b for a, b in role_covered):
                    continue
                cands = people_of(span.attrs.get("country"))
                title = _title_key(text[span.start : span.end])
                same = [e for e in cands if any(_title_key(text[r.start : r.end]) == title for r in e.roles)]
                if not same:
                    # the office the title names (foreign minister, ambassador …) against each person's offices
                    cls = _office_class(title)
                    same = [e for e in cands if cls in offices(e)]
                if not same and len(title.split()) == 2:
                    # a bare office and the country (الوزير الألماني، السفيرة الفلانية): the one compatriot whose
                    # title has that head, whatever office of its kind (وزير الخارجية …)
                    cls = _office_class(title)
                    heads = [e for e in cands if any(_office_head(_title_key(text[r.start : r.end])) == cls
                                                     for r in e.roles)]
                    same = heads if len(heads) == 1 else []
                # a lone compatriot is the referent only when nothing is known of their office: an ambassador is
                # not the prime minister of his country
                pick = same or (cands if len(cands) == 1 and not offices(cands[0]) else [])
                if len(pick) >= 1:
                    target = max(pick, key=lambda e: counts[e.id]).id
                    out.append(Span(span.start, span.end, "coref", {"entity": [target], "kind": "title"}))
    out += descriptors(text, units, mentions, mention_entity, ents, covered)
    out += state_bodies(units, entities, covered, registry)
    return out


# a state's own bodies named by their common noun and the state's adjective (السلطات الأمريكية، القوات التركية،
# الحكومة الفلبينية، الجيش الروسي) where no entity took the phrase: the state acts through them
_STATE_BODIES = frozenset(normalize(w) for w in ("السلطات", "القوات", "الحكومة", "الشرطة", "الجيش"))


def state_bodies(units: list[Any], entities: list[Entity], covered: set[tuple[int, int]],
                 registry: Any) -> list[Span]:  # fmt: skip
    """``descriptor`` spans for a state body + the state's adjective with no entity on either word, to the state's
    own entity when the article names the state (a country actor: a GPE whose actor id is its country). Not a
    phrase the registry knows as a name (القوات اللبنانية is a party), nor one inside a title (رئيس الحكومة
    اللبنانية is a person, قائد القوات الأمريكية an officer)."""
    nisba = registry.nisba
    states = {e.country: e.id for e in entities if e.type == "GPE" and e.country and e.actor_id == e.country}
    out: list[Span] = []
    if not states:
        return out
    for ui, u in enumerate(units):
        norms, toks = u.norms, u.tokens
        for k in range(len(norms) - 1):
            if strip_clitics(norms[k])[1] not in _STATE_BODIES or (ui, k) in covered or (ui, k + 1) in covered:
                continue
            country = nisba.get(norms[k + 1])
            if not country or country not in states or tuple(norms[k : k + 2]) in registry.aliases:
                continue
            if k > 0 and _HEADS_ANY(norms[k - 1]):
                continue  # رئيس الحكومة الفلانية، قائد القوات الفلانية: a title
            out.append(Span(toks[k].start, toks[k + 1].end, "coref", {"entity": [states[country]], "kind": "descriptor"}))
    return out


# adjectives that describe an armed group without naming another one (الميليشيات الانقلابية، الجماعة المسلحة)
_PARTISAN = frozenset(
    normalize(w)
    for w in ("الانقلابية", "المتمردة", "المسلحة", "الإرهابية", "الموالية", "المدعومة", "المتطرفة", "الانفصالية")
)


def _singular(head: str, introduced: dict[str, list[tuple[int, str]]]) -> str | None:
    """The key of ``introduced`` a bare head stands for: itself, or its singular (الميليشيات after ميليشيا الفلانية)."""
    if head in introduced:
        return head
    if head.endswith("ات") and (one := head[:-2] + "ا") in introduced:
        return one
    return None


# "the latter": masculine refers to a person or a body, feminine to a body, a state or a woman
_LATTER = {"الاخير": ("PER", "ORG"), "الاخيره": ("GPE", "ORG", "PER")}


@cache
def _descriptor_heads() -> tuple[frozenset[str], frozenset[str]]:
    """Heads of bodies (no article) that a later bare definite head can stand for (the ORG heads of the name-head
    table and the heads of armed groups), and those that also stand in apposition before a group's short name."""
    from marsad.entities.lexicon import load_heads, load_words

    groups = set(load_words("group_heads.txt"))
    # the plural of a group's head names the same group (ميليشيا الحوثي … الميليشيات)
    groups |= {h[:-1] + "ات" for h in groups if h.endswith(("ا", "ه"))}
    apposed = frozenset(groups | {normalize(w) for w in ("حركة", "تنظيم", "جماعة")})
    heads = frozenset({k for k, h in load_heads().items() if h.kind == "ORG"} | apposed)
    return heads, apposed


def descriptors(
    text: str, units: list[Any], mentions: list[Any], mention_entity: dict[int, str], ents: dict[str, Entity],
    covered: set[tuple[int, int]],
) -> list[Span]:  # fmt: skip
    """Bare definite heads and "the latter" resolved to the body or actor they stand for, named earlier.

    A head is linked only to a body the article itself introduced with that head, in its name (حركة حماس) or right
    before it (ميليشيا الحوثي), and only when no definite word follows (الحركة الوطنية is another name); the most
    recent such body wins. الأخير / الأخيرة takes the last actor named before it of a fitting type, when it is not an
    adjective (no definite noun before it: العام الأخير)."""
    heads, apposed = _descriptor_heads()
    # where each body was introduced with a head (its name opens with it, or the head stands right before it) and
    # where each actor is named, by start offset: looked up by bisection (linear time on long documents)
    introduced: dict[str, list[tuple[int, str]]] = {}
    named: dict[str, list[tuple[int, str]]] = {}
    for i, m in enumerate(mentions):
        eid = mention_entity[i]
        typ = ents[eid].type
        named.setdefault(typ, []).append((m.start, eid))
        if typ != "ORG":
            continue
        norms = units[m.unit].norms
        first = norms[m.tok0][2:] if norms[m.tok0].startswith("ال") else norms[m.tok0]
        if first in heads:
            introduced.setdefault(first, []).append((m.start, eid))
        # a group's head before its short name (ميليشيا الحوثي، حركة حماس); not any head: مفوضية الأمم المتحدة is a
        # body of the UN, not the UN
        prev = strip_clitics(norms[m.tok0 - 1])[1] if m.tok0 > 0 else ""
        if prev in apposed:
            introduced.setdefault(prev, []).append((m.start, eid))
    for table in (introduced, named):
        for rows in table.values():
            rows.sort()

    def last_before(rows: list[tuple[int, str]], at: int) -> tuple[int, str] | None:
        j = bisect_left(rows, (at,))
        return rows[j - 1] if j else None

    out: list[Span] = []
    for ui, u in enumerate(units):
        norms, toks = u.norms, u.tokens
        for k, w in enumerate(norms):
            if len(w) < 5 or (ui, k) in covered:
                continue
            b = strip_clitics(w)[1]  # والحركة، للحركة → الحركة
            if not b.startswith("ال"):
                continue
            at = toks[k].start
            found: tuple[int, str] | None = None
            if b in _LATTER:
                prev = norms[k - 1] if k > 0 else ""
                if prev.startswith("ال") or (ui, k - 1) in covered:
                    continue  # an adjective (الأسبوع الأخير) or right after a name
                hits = [x for x in (last_before(named.get(t, []), at) for t in _LATTER[b]) if x]
                found = max(hits) if hits else None
            elif (h := _singular(b[2:], introduced)) is not None:
                nxt = norms[k + 1] if k + 1 < len(norms) else ""
                if (nxt.startswith("ال") and nxt not in _PARTISAN) or (ui, k + 1) in covered:
                    continue  # a longer name (الحركة الوطنية) or a head before a name
                found = last_before(introduced[h], at)
            if found is not None:
                out.append(Span(at, toks[k].end, "coref", {"entity": [found[1]], "kind": "descriptor"}))
    return out


_OFFICES = (
    ("وزير الخارجيه", "foreign minister"), ("وزيره الخارجيه", "foreign minister"), ("وزير الدفاع", "defence minister"),
    ("رييس الوزراء", "prime minister"), ("رييسه الوزراء", "prime minister"), ("الرييس", "president"),
    ("رييس", "president"), ("الملك", "king"), ("المستشار", "chancellor"), ("المستشاره", "chancellor"),
)  # fmt: skip


def _office_class(title: str) -> str:
    """A comparable office for a normalised title: an English office for the common ones (``_OFFICES``), else
    the head word without article and feminine ending (السفير/سفيرة → سفير)."""
    office = next((en for ar, en in _OFFICES if title.startswith(ar)), None)
    if office:
        return office
    words = title.split()
    head = next((w for w in words if _HEADS_ANY(w)), words[0] if words else "")
    head = head[2:] if head.startswith("ال") and len(head) > 4 else head
    return head[:-1] if head.endswith("ه") and len(head) > 3 else head


def _office_head(title: str) -> str:
    """The head word of a title as :func:`_office_class` writes it (وزير الخارجية الألماني → وزير)."""
    words = title.split()
    head = next((w for w in words if _HEADS_ANY(w)), words[0] if words else "")
    head = head[2:] if head.startswith("ال") and len(head) > 4 else head
    return head[:-1] if head.endswith("ه") and len(head) > 3 else head


def _title_key(s: str) -> str:
    words = [
        strip_clitics(w, min_stem=2)[1] if w[:1] in "وبل" and len(w) > 4 else w for w in normalize(s).split()
    ]
    return " ".join(words)


def _offices(registry: Any, actor_id: str | None) -> set[str]:
    a = registry.actors.get(actor_id or "")
    if a is None:
        return set()
    out = set()
    for r in a.roles:
        t = (r.get("title") or "").lower()
        if "foreign" in t or "secretary of state" in t:
            out.add("foreign minister")
        if "defen" in t:
            out.add("defence minister")
        if "prime minister" in t or "premier" in t:
            out.add("prime minister")
        if t.startswith("president"):
            out.add("president")
        if t in ("king", "queen", "emir", "sultan"):
            out.add("king")
        if "chancellor" in t:
            out.add("chancellor")
    return out


def _title_phrase(registry: Any, u: Any, k: int, covered: set, ui: int) -> Span | None:
    norms, toks = u.norms, u.tokens
    j = k + 1
    country = None
    while j < len(norms) and j - k <= 6 and (ui, j) not in covered:
        w = norms[j]
        if w in registry.nisba:
            country = registry.nisba[w]
            j += 1
            break
        if roles_mod.is_modifier(w) or roles_mod.head_sector(w):
            j += 1
            continue
        break
    if not country:
        return None
    if j < len(norms) and (ui, j) in covered:
        return None  # a name follows: the role belongs to that mention
    return Span(toks[k].start, toks[j - 1].end, "role", {"country": country, "head": norms[k]})


def _recent_pair(
    ents: dict[str, Entity], recent: list[tuple[int, str, str]], *, sides: bool
) -> list[str] | None:
    """The two parties named last before the phrase (this sentence and the one before): "الحرب بين البلدين" after
    Iran and Iraq means those two, whatever the article is mostly about."""
    picked: dict[str, str] = {}  # country → entity id
    for _, eid, typ in reversed(recent):
        e = ents[eid]
        ok = (typ == "PER" and e.country) if sides else e.is_country
        if ok and e.country not in picked:
            picked[e.country or ""] = eid
            if len(picked) == 2:
                return list(reversed(picked.values()))
    if len(picked) == 1 and not sides:
        # one party named just before: the other is the country the article is most about
        (only,) = picked
        others = [e for e in ents.values() if e.is_country]
        others = [e for e in others if e.country != only]
        if others:
            # salience of a country: its own mentions and those of its people (Zarif makes Iran salient)
            weight: Counter[str] = Counter()
            for e in ents.values():
                if e.country and e.type in ("GPE", "PER"):
                    weight[e.country] += len(e.mentions)
            top = max(others, key=lambda e: weight[e.country or ""])
            return [top.id, picked[only]]
    return None


def _pair(entities: list[Entity], counts: Counter, *, sides: bool) -> list[str] | None:
    if sides:
        people = sorted((e for e in entities if e.type == "PER" and e.country), key=lambda e: -counts[e.id])
        seen: dict[str, str] = {}
        for e in people:
            seen.setdefault(e.country or "", e.id)
        if len(seen) >= 2:
            return list(seen.values())[:2]
    countries = [e for e in entities if e.is_country]
    countries.sort(key=lambda e: -counts[e.id])
    if len(countries) >= 2:
        return [countries[0].id, countries[1].id]
    return None
