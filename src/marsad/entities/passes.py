"""Passes over the mentions found, after the registry and the tagger: per sentence unit, readings of the merged
mentions that their neighbours change (a quoted place that is a newspaper, a tagged person after شركة that is the
company, a group's one-word short form, a place that names a street or gate, the town of a dateline); per article,
what needs the whole article's mentions (the reading of an ambiguous place name by the article's countries, a
person's name after بن that is the father's, bare surnames, the bare name of a body proposed with its head, bodies
named after a town). A mixin of :class:`marsad.entities.stage.EntityStage`: the methods read ``self.registry``."""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from marsad.entities.common import (
    _AMBIGUOUS_PLACES,
    _FAMILY_NAME_FIRST,
    _LOCATIVE,
    _NASAB,
    _QUOTES,
    _STOP,
    _VERBS,
    _all_given,
    _clitic_variants,
    _is_stop,
    _is_title_word,
    _may_be_ambiguous_place,
    _Mention,
    _place_gazetteer,
    _skip_clitic,
    _Unit,
)
from marsad.entities.registry import Registry, name_key
from marsad.lang.ar.normalize import normalize

_STREET_HEADS = frozenset(normalize(w) for w in ("شارع", "باب", "ميدان", "جادة", "سباق"))  # (بوابة فلانة is often figurative)
# heads of a body named after a person or a one-word name (شركة فلان، مكتب فلانة), normalised → sector
_NAMED_AFTER_HEADS: dict[str, str | None] = {"شركه": "BUS", "شركات": "BUS", "موسسه": None, "منظمه": None,
                                             "جماعه": None, "مجموعه": "BUS", "مكتب": None, "شرطه": "GOV"}
_GROUP_HEADS_SHORT = frozenset({"تنظيم", "جبهه", "حركه", "جماعه", "ميليشيا", "ميليشيات", "حزب"})


def _named_after_place(unit: _Unit, m: _Mention) -> bool:
    """A registry place right after an indefinite street, gate, square or race head (شارع فلانة، باب فلانة، سباق
    فلانة): the head's name, not a mention of the place."""
    if m.type != "GPE" or m.tok0 == 0 or not m.source.startswith("registry"):
        return False
    prev = unit.norms[m.tok0 - 1]
    return unit.tokens[m.tok0 - 1].kind == "word" and any(v in _STREET_HEADS for v, _ in _clitic_variants(prev))


@lru_cache(maxsize=4)
def _group_short_names(reg: Registry) -> dict[str, str]:
    """Registry organisations named by a group's head and one word (تنظيم الفلان، حركة فلان): word -> actor, where
    the word is no name of its own in the registry and names one group only."""
    seen: dict[str, set[str]] = defaultdict(set)
    parts: dict[str, set[str]] = defaultdict(set)
    for alias, aid in reg.aliases.items():
        for w in alias:
            parts[w].add(aid)
        a = reg.actors.get(aid)
        if a is None or a.type != "ORG" or len(alias) != 2 or alias[0] not in _GROUP_HEADS_SHORT:
            continue
        if (alias[1],) not in reg.aliases:
            seen[alias[1]].add(aid)
    # a word of many names (حزب الله، رام الله، عبد الله) names none of them alone; الدولة is "the state" before it is
    # تنظيم الدولة
    return {w: next(iter(ids)) for w, ids in seen.items()
            if len(ids) == 1 and len(parts[w]) <= 2 and w != "الدوله"}


# feminine adjectives that describe a group as well as a thing (القاعدة الإرهابية): no sign of the common noun
_GROUP_ADJECTIVES = frozenset(normalize(w) for w in ("الإرهابية", "المتطرفة", "المسلحة", "الجهادية"))


def _common_noun_sense(word: str, unit: _Unit, after: int, units: list[_Unit]) -> bool:
    """A group's definite one-word name used as the common noun it is (القاعدة "the base", "the rule"): a feminine
    definite adjective follows it (القاعدة الجوية، القاعدة العسكرية، القاعدة الشعبية), or the article also writes
    the noun indefinite (قاعدة جوية، قاعدة فلانة), which a group's name never is, and never writes the group's name
    as a name: with its head (تنظيم القاعدة) or in quotation marks ("القاعدة"); then the bare definite form refers
    back to the noun. Only for a name that is a definite feminine noun (القاعدة، النصرة): an indefinite name (فتح)
    has no such test, and a nisba or plural (الحوثي، الإخوان) is also written indefinite as an adjective (قيادي حوثي)."""
    if not word.startswith("ال") or not word.endswith("ه") or len(word) < 5:
        return False
    norms = unit.norms
    if after < len(norms):
        nxt = norms[after]
        if nxt.startswith("ال") and nxt.endswith("يه") and nxt not in _GROUP_ADJECTIVES:
            return True
    bare = word[2:]
    indefinite = named = False
    for u in units:
        for k, n in enumerate(u.norms):
            if n.endswith(bare) and (n == bare or any(v == bare for v, _ in _clitic_variants(n))):
                indefinite = True
            elif n == word and k > 0 and (
                any(v in _GROUP_HEADS_SHORT for v, _ in _clitic_variants(u.norms[k - 1]))
                or u.tokens[k - 1].text in _QUOTES and k + 1 < len(u.tokens) and u.tokens[k + 1].text in _QUOTES
            ):
                named = True
    return indefinite and not named


class MentionPasses:
    """Passes over the merged mentions (see the module docstring)."""

    registry: Registry

    # -- per sentence unit, on its merged mentions ---------------------------------------------------------------
    def _quoted_outlets(self, unit: _Unit, here: list[_Mention]) -> None:
        """A place's name in quotation marks that hug it («الفلان»، "الفلان") is the newspaper the registry knows by
        صحيفة / جريدة + that name (جريدة «الفلان»، وعلمت «الفلان»): papers are quoted by their titles,
        places are not."""
        toks, norms, reg = unit.tokens, unit.norms, self.registry
        for m in here:
            if m.type not in ("GPE", "LOC") or m.source != "registry" or m.tok0 == 0 or m.tok1 >= len(toks):
                continue
            if toks[m.tok0 - 1].text not in ("«", '"', "“") or toks[m.tok1].text not in ("»", '"', "”"):
                continue
            name = tuple(norms[m.tok0 : m.tok1])
            aid = next((a for h in ("صحيفه", "جريده") if (a := reg.aliases.get((h, *name)))), None)
            if aid is None or reg.actors[aid].type != "ORG":
                continue
            m.type, m.actor_id, m.metonym, m.place_id, m.country = "ORG", aid, False, None, None

    def _company_persons(self, unit: _Unit, here: list[_Mention]) -> None:
        """A name the tagger calls a person right after the indefinite head شركة is the company (شركة فلان فلانسون:
        a firm named after its founder): Arabic writes a company as شركة + its name, a person's firm as شركة + the
        person only when the registry knows him (left alone)."""
        toks, norms = unit.tokens, unit.norms
        for m in here:
            if m.type != "PER" or m.source != "ner" or m.actor_id is not None or m.tok0 == 0:
                continue
            if not any(v == "شركه" for v, _ in _clitic_variants(norms[m.tok0 - 1])) or toks[m.tok0 - 1].kind != "word":
                continue
            m.type, m.sector = "ORG", "BUS"

    def _group_short_forms(self, unit: _Unit, here: list[_Mention], units: list[_Unit]) -> None:
        """A one-word name the tagger calls an organisation that the registry knows only with a group's head
        (تنظيم القاعدة، جبهة النصرة، حركة فتح) is that group: the bare word is ambiguous alone (القاعدة "the base",
        فتح "opened"), which is why the registry holds it back; the tagger's reading of its context vouches for it.
        Not where the article reads the word as the common noun (:func:`_common_noun_sense`): then it names nothing."""
        short = _group_short_names(self.registry)
        common: list[_Mention] = []
        for m in here:
            if m.type != "ORG" or m.source != "ner" or m.actor_id is not None or m.tok1 - m.tok0 != 1:
                continue
            v = next((v for v, _ in _clitic_variants(unit.norms[m.tok0]) if v in short), None)
            if v is None:
                continue
            if _common_noun_sense(v, unit, m.tok1, units):
                common.append(m)
            else:
                m.actor_id, m.source = short[v], "registry"
        for m in common:
            here.remove(m)

    def _dateline_place(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A dateline that opens a sentence, "فلانة، <country> (CNN)": the one to three words before the comma are a
        town of that country, whatever the tagger made of them (أتلانتا is no organisation there)."""
        toks = unit.tokens
        comma = next((k for k in range(1, min(4, len(toks))) if toks[k].text in ("،", ",")), None)
        if comma is None or any(toks[k].kind != "word" for k in range(comma)):
            return []
        country = next((m for m in have if m.unit == ui and m.tok0 == comma + 1), None)
        a = self.registry.actors.get(country.actor_id or "") if country else None
        if (
            country is None
            or a is None
            or a.type != "GPE"
            or a.id != a.country
            or country.tok1 >= len(toks)
            or toks[country.tok1].text != "("
        ):
            return []
        inside = [m for m in have if m.unit == ui and m.tok0 < comma]
        if inside:
            for m in inside:
                if m.tok0 == 0 and m.tok1 == comma and m.type in ("ORG", "PER", "MISC", "LOC") and m.source == "ner":
                    m.type, m.country, m.sector = "GPE", a.country, None
            return []
        m = _Mention(toks[0].start, toks[comma - 1].end, ui, 0, comma, "GPE", None, source="dateline")
        m.key = name_key(" ".join(unit.norms[:comma]))
        m.country = a.country
        return [m]

    def _dateline_colon(self, ui: int, unit: _Unit, have: list[_Mention]) -> list[_Mention]:
        """A dateline before a colon at the head of an article, "فلان - <outlet> - <town>:": the one or two words
        between the last dash and the colon are the town the story is filed from, when GeoNames knows them as a town
        of 10,000+ or a province (a town the registry knows is found already)."""
        toks = unit.tokens
        colon = next((k for k in range(2, min(12, len(toks))) if toks[k].text == ":"), None)
        if colon is None or toks[0].start > 400:
            return []
        dash = next((k for k in range(colon - 1, max(colon - 4, 0), -1) if toks[k].text in ("-", "–", "—")), None)
        if dash is None or dash + 1 >= colon or any(toks[k].kind != "word" for k in range(dash + 1, colon)):
            return []
        if any(m.unit == ui and m.tok0 < colon and dash < m.tok1 for m in have):
            return []
        gaz = _place_gazetteer()
        words = " ".join(t.text for t in toks[dash + 1 : colon])
        places = [p for p in (gaz.lookup_ar(words) if gaz is not None else [])
                  if (p.population >= 10_000 or p.feature_class == "A")
                  and any(normalize(a) == normalize(words) for a in p.ar_names)]  # fmt: skip
        if not places:
            return []
        place = max(places, key=lambda p: (p.is_country, p.population))
        m = _Mention(toks[dash + 1].start, toks[colon - 1].end, ui, dash + 1, colon, "GPE", None, source="dateline")
        m.key = name_key(" ".join(unit.norms[dash + 1 : colon]))
        m.country = place.country_iso3
        return [m]

    # -- per article, on all its mentions ------------------------------------------------------------------------
    def _ambiguous_places(self, units: list[_Unit], mentions: list[_Mention]) -> list[_Mention]:
        """Names the registry leaves out because they name two places (عمان: Amman, capital of Jordan, or Oman):
        the reading whose country the article names more (الأردن، الأردني vs سلطنة عمان، العماني، مسقط) wins;
        with no evidence either way the word is left to NER, without a country."""
        reg = self.registry
        hits = [
            (ui, k, cut, readings)
            for ui, u in enumerate(units)
            for k, w in enumerate(u.norms)
            if _may_be_ambiguous_place(w)
            for v, cut in _clitic_variants(w)
            if (readings := _AMBIGUOUS_PLACES.get(v))
        ]
        if not hits:
            return mentions
        evidence: Counter[str] = Counter()
        for m in mentions:
            a = reg.actors.get(m.actor_id or "")
            if a and a.country:
                evidence[a.country] += 1
        for u in units:
            for w in u.norms:
                if w in reg.nisba:
                    evidence[reg.nisba[w]] += 1
        out = list(mentions)
        for ui, k, cut, readings in hits:
            u = units[ui]
            taken = [m for m in out if m.unit == ui and m.tok0 <= k < m.tok1]
            if any(m.source != "ner" or m.tok1 - m.tok0 > 1 for m in taken):
                continue  # part of a longer name (سلطنة عمان) already resolved
            scores = [
                (evidence[reg.actors[r].country or ""], -n, r)
                for n, r in enumerate(readings)
                if r in reg.actors
            ]
            best = max(scores) if scores else None
            for m in taken:
                out.remove(m)
            if not best or best[0] == 0:
                for m in taken:  # no evidence: keep the NER mention, but guess no country for it
                    m.sector, m.country, m.no_country = None, None, True
                    out.append(m)
                continue
            aid = best[2]
            actor = reg.actors[aid]
            m = _Mention(_skip_clitic(u.tokens[k], cut), u.tokens[k].end, ui, k, k + 1, actor.type, aid)
            if actor.metonym_of:
                prev = u.norms[k - 1] if k > 0 else ""
                w = u.norms[k]
                locative = prev in _LOCATIVE or (cut and w[:1] in "بف" and w[:2] != "ال")
                if not locative:
                    m.actor_id, m.metonym, m.place_id = actor.metonym_of, True, aid
            out.append(m)
        return out

    def _nasab_sons(self, units: list[_Unit], mentions: list[_Mention]) -> list[_Mention]:
        """A person's name right after بن / ابن / بنت is the father's (or grandfather's) in a longer chain: فلان بن
        <name> names فلان, not the man the registry or the tagger knows by <name> (الأمير فلان بن سلمان بن عبدالعزيز is
        not King Salman). The mention takes in the given names before it, back to the chain's first name; each must be
        a given name of the lists (also one that is a title word, سلطان، مساعد: before بن it is a name), so that
        "وأضاف بن فلان" or "يواجه بن فلان" (the short form of a name) stays as it is."""
        reg = self.registry
        names = _all_given()
        sons = ("بن", "ابن", "بنت")
        drop: set[int] = set()
        for m in mentions:
            if m.type != "PER" or m.tok0 < 2:
                continue
            u = units[m.unit]
            toks, norms = u.tokens, u.norms
            k = m.tok0
            while k >= 2 and norms[k - 1] in sons and toks[k - 2].kind == "word":
                w = norms[k - 2]
                if w not in names or w in sons or _is_stop(toks[k - 2]):
                    break  # a given name of the lists (also one that is a title: الأمير فلان بن …، مساعد بن …)
                k -= 2
            if k == m.tok0:
                continue
            inside = [
                i for i, x in enumerate(mentions)
                if x is not m and x.unit == m.unit and x.tok1 > k and x.tok0 < m.tok0
            ]  # fmt: skip
            if any(mentions[i].type != "PER" or mentions[i].tok0 < k for i in inside):
                continue
            drop.update(inside)
            toks0 = toks[k]
            cut = next((c for v, c in _clitic_variants(norms[k]) if c and v in names), 0)
            m.start, m.tok0 = _skip_clitic(toks0, cut), k
            aid = reg.aliases.get(tuple(norms[k : m.tok1]))
            if aid != m.actor_id:
                m.actor_id, m.country, m.sector, m.name_en = aid, None, None, None
                if m.source == "registry":
                    m.source = "ner"
            m.key = name_key(" ".join(norms[k : m.tok1]))
            m.alt_key, m.alt_start = "", -1
        return [x for i, x in enumerate(mentions) if i not in drop]

    def _surnames(self, units: list[_Unit], mentions: list[_Mention]) -> list[_Mention]:
        """Bare surnames of people named in full in this article (…ماي after تيريزا ماي), found even where NER
        missed them. East Asian registry names also match on their first token (the family name: وانغ)."""
        reg = self.registry
        short: dict[str, tuple[str | None, str]] = {}  # normalised short form → (actor id, key)
        first_start: dict[str, int] = {}
        for m in mentions:
            if m.type != "PER" or m.tok1 - m.tok0 < 2:
                continue
            norms = units[m.unit].norms[m.tok0 : m.tok1]
            if any(n in _NASAB for n in norms):
                continue  # محمد بن سلمان: the last word is the father's name, not a surname
            forms = [norms[-1]]
            a = reg.actors.get(m.actor_id or "")
            if a and a.country in _FAMILY_NAME_FIRST:
                forms.append(norms[0])
            for f in forms:
                if len(f) < 3 or f in _NASAB or f in _STOP or f in _VERBS or _is_title_word(f, reg):
                    continue
                if (f,) not in reg.aliases:  # a word that names something else on its own is no surname
                    short.setdefault(f, (m.actor_id, name_key(f)))
                    first_start.setdefault(f, m.start)
        if not short:
            return mentions
        # a bare surname the tagger typed as something else (وقالت ماي → ORG) is that person all the same
        weak = {
            (m.unit, m.tok0): m
            for m in mentions
            if m.source == "ner" and m.type != "PER" and m.actor_id is None and m.tok1 - m.tok0 == 1
        }
        covered = {
            (m.unit, k) for m in mentions for k in range(m.tok0, m.tok1) if (m.unit, m.tok0) not in weak
        }
        extra = []
        for ui, u in enumerate(units):
            for k, t in enumerate(u.tokens):
                if t.kind != "word" or (ui, k) in covered:
                    continue
                for v, cut in _clitic_variants(t.norm):
                    hit = short.get(v)
                    if hit is None or t.start < first_start[v]:
                        continue
                    aid, key = hit
                    m = _Mention(_skip_clitic(t, cut), t.end, ui, k, k + 1, "PER", aid, key, source="surname")
                    extra.append(m)
                    w = weak.pop((ui, k), None)
                    if w is not None:
                        mentions = [x for x in mentions if x is not w]
                    break
        if not extra:
            return mentions
        return sorted(mentions + extra, key=lambda m: (m.start, -m.end))

    def _bare_head_names(self, units: list[_Unit], mentions: list[_Mention]) -> list[_Mention]:
        """The bare name of a body or place proposed with its head (``head-name``: مجموعة فلانكو … فلانكو): its other
        occurrences in the article outside every other mention are mentions of it too (same key, so one entity)."""
        named: dict[str, list[tuple[tuple[str, ...], _Mention]]] = {}
        for m in mentions:
            if m.source == "head-name":
                words = tuple(units[m.unit].norms[m.tok0 + 1 : m.tok1])
                named.setdefault(words[0], []).append((words, m))
        if not named:
            return mentions
        covered = {(m.unit, k) for m in mentions for k in range(m.tok0, m.tok1)}
        extra = []
        for ui, u in enumerate(units):
            k = 0
            while k < len(u.tokens):
                t = u.tokens[k]
                hit = None
                if t.kind == "word" and (ui, k) not in covered:
                    for v, cut in _clitic_variants(t.norm):
                        for words, hm in named.get(v, ()):
                            n = len(words)
                            if tuple(u.norms[k + 1 : k + n]) == words[1:] and not any(
                                (ui, q) in covered for q in range(k + 1, k + n)
                            ):
                                hit = (n, cut, hm)
                                break
                        if hit:
                            break
                if hit is None:
                    k += 1
                    continue
                n, cut, hm = hit
                m = _Mention(_skip_clitic(t, cut), u.tokens[k + n - 1].end, ui, k, k + n, hm.type, None, hm.key,
                             source="head-name")
                m.sector, m.tail = hm.sector, hm.tail
                extra.append(m)
                k += n
        if not extra:
            return mentions
        return sorted(mentions + extra, key=lambda m: (m.start, -m.end))

    def _bodies_named_after(self, units: list[_Unit], mentions: list[_Mention]) -> list[_Mention]:
        """A body's head right before a one-word name the tagger called an organisation and GeoNames knows as a town
        (شرطة فلانة، مكتب فلانة): the body named after the town, a candidate only the entity model may keep
        (``head-name``). (The same before a person the article names twice, شركة فلان، جماعة فلان, gave the entities
        +0.001 on train but took the person out of the events' reach: events 0.313 → 0.304.)"""
        gaz = _place_gazetteer()
        out: list[_Mention] = []
        for m in mentions:
            u = units[m.unit]
            k = m.tok0 - 1
            named = (
                m.type == "ORG" and m.source == "ner" and m.actor_id is None and m.tok1 - m.tok0 == 1
                and gaz is not None and bool(gaz.lookup_ar(u.tokens[m.tok0].text))  # a town's police, not a company
            )
            head = None
            if named and k >= 0 and u.tokens[k].kind == "word" and u.tokens[k].end <= m.start:
                head = next(((v, c) for v, c in _clitic_variants(u.norms[k]) if v in _NAMED_AFTER_HEADS), None)
            if head is None or any(x is not m and x.unit == m.unit and x.tok0 <= k < x.tok1 for x in out[-3:]):
                out.append(m)
                continue
            b = _Mention(_skip_clitic(u.tokens[k], head[1]), m.end, m.unit, k, m.tok1, "ORG", None,
                         name_key(" ".join([head[0], *u.norms[m.tok0 : m.tok1]])), source="head-name")
            b.sector, b.tail = _NAMED_AFTER_HEADS[head[0]], m.tail
            out.append(b)
        return out
