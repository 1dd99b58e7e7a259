"""Mentions → entities: the mentions of one referent cluster together (by actor id, or by a transliteration-aware
key for new names, a bare surname joining the full name seen before it), and each cluster becomes an
:class:`~marsad.data.Entity` with its type, name, country, sector and roles. A mixin of
:class:`marsad.entities.stage.EntityStage`: the methods read ``self.registry`` (and the place-country lookup of
:class:`~marsad.entities.patterns.NamePatterns`)."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from marsad.data import Entity, Span
from marsad.entities.common import (
    _FAMILY_NAME_FIRST,
    _NASAB,
    ARAB_STATES,
    ARABIC_NAME_STATES,
    HOME_WEIGHT,
    _clitic_variants,
    _country_in_name,
    _country_nearby,
    _head_kind,
    _keep_unlinked,
    _Mention,
    _name_origin,
    _nisba_before,
    _org_sector,
    _Unit,
)
from marsad.entities.names import has_arabic, latin_name
from marsad.entities.registry import Registry, name_key
from marsad.lang.ar.normalize import normalize

# the adjectives of an international body (its name holds one: it has no country)
_INTERNATIONAL = frozenset(normalize(w) for w in ("الدولي", "الدولية", "العالمي", "العالمية", "الأممي", "الأممية"))


class EntityResolution:
    """Clustering and the entities of the clusters (see the module docstring)."""

    registry: Registry

    # -- clustering ------------------------------------------------------------------------------------------------
    def _cluster(self, mentions: list[_Mention]) -> list[int]:
        """Cluster index per mention."""
        keys: dict[str, int] = {}
        next_id = 0
        cl: list[int] = []
        # full PER names seen so far: token keys of first and last token → cluster
        per_parts: list[tuple[str, str, int, int]] = []  # first key, last key, cluster, mention index
        part_keys: set[str] = set()  # the first and last keys of per_parts (kept as it grows, not rebuilt per mention)
        for i, m in enumerate(mentions):
            if m.actor_id:
                k = m.actor_id
            else:
                k = f"{m.type}:{m.key}"
                if (
                    m.type == "ORG"
                    and m.source == "ner"
                    and m.tail in self.registry.nisba
                    and m.key.count(" ") >= 2
                ):
                    # جامعة كوينزلاند الأسترالية is جامعة كوينزلاند: an organisation's trailing nisba is no new name
                    k = f"ORG:{m.key.rsplit(' ', 1)[0]}"
                alt = f"{m.type}:{m.alt_key}"
                if m.alt_key and k not in keys and (alt in keys or m.alt_key in part_keys):
                    k, m.key, m.start = alt, m.alt_key, m.alt_start
            if m.type == "PER" and " " not in m.key and k not in keys:
                # a bare surname (or a Chinese family name) joins the latest full name it ends or starts
                for fk, lk, c, _ in reversed(per_parts):
                    if m.key and m.key in (lk, fk):
                        keys[k] = c
                        if not m.actor_id:
                            m.source = "surname"
                        break
            if k not in keys:
                keys[k] = next_id
                next_id += 1
            c = keys[k]
            cl.append(c)
            if m.type == "PER":
                actor = self.registry.actors.get(m.actor_id or "")
                family_first = bool(actor and actor.country in _FAMILY_NAME_FIRST)
                keys_ = [name_key(al) for al in actor.ar] if actor else [m.key]
                for kk in keys_:
                    p2 = kk.split()
                    if any(t in _NASAB for t in p2):
                        continue  # محمد بن سلمان: neither محمد nor سلمان alone is this person
                    if len(p2) >= 2:
                        # the surname, and for East Asian names the family name written first (وانغ)
                        per_parts.append((p2[0] if family_first else p2[-1], p2[-1], c, i))
                        part_keys.update(per_parts[-1][:2])
        return cl

    # -- entities --------------------------------------------------------------------------------------------------
    def _entities(self, text, units, mentions, clusters, role_spans, published=None, home=None, propose=False):
        reg = self.registry
        by_cluster: dict[int, list[int]] = defaultdict(list)
        for i, c in enumerate(clusters):
            by_cluster[c].append(i)
        # context country: the country the article is most about (registry-linked mentions)
        ctx: Counter[str] = Counter()
        for m in mentions:
            a = reg.actors.get(m.actor_id or "")
            # media credits (CNN, واس) say who reported, not where the story is
            if a and a.country and a.type in ("GPE", "PER", "ORG") and a.sector != "MED":
                ctx[a.country] += 2 if a.type == "GPE" else 1
        ctx_news = Counter(ctx)  # what the text itself names, without the outlet's home
        if home:
            # a national paper's home country counts as a few more mentions: it writes mostly about its own people
            ctx[home] += HOME_WEIGHT
        context_country = ctx.most_common(1)[0][0] if ctx else None
        # the countries each sentence names: registry countries and places, and nisba adjectives
        unit_countries: dict[int, set[str]] = defaultdict(set)
        for m in mentions:
            a = reg.actors.get(m.actor_id or "")
            if a and a.type == "GPE" and a.country:
                unit_countries[m.unit].add(a.country)
        for ui, u in enumerate(units):
            for n in u.norms:
                if n in reg.nisba:
                    unit_countries[ui].add(reg.nisba[n])
        # the tokens of the other names and the one after each, per unit (a nisba there is that name's)
        ends: dict[int, set[int]] = defaultdict(set)
        for m in mentions:
            if m.type != "PER":
                ends[m.unit].update(range(m.tok0, m.tok1 + 1))
        name_ends = defaultdict(frozenset, {u: frozenset(v) for u, v in ends.items()})
        # role phrases with a country, by the domain words they contain (وزير الخارجية الأمريكي → الخارجيه: USA)
        domain_country: dict[str, str] = {}
        for r in role_spans:
            if r is not None and r.attrs.get("country"):
                for w in normalize(text[r.start : r.end]).split():
                    domain_country.setdefault(w, r.attrs["country"])
        order = sorted(by_cluster, key=lambda c: min(mentions[i].start for i in by_cluster[c]))
        drafts: list[dict[str, Any]] = []
        for c in order:
            idx = by_cluster[c]
            ms = [mentions[i] for i in idx]
            aid = next((m.actor_id for m in ms if m.actor_id), None)
            actor = reg.actors.get(aid or "")
            typ = actor.type if actor else Counter(m.type for m in ms).most_common(1)[0][0]
            surfaces = [text[m.start : m.end] for m in ms]
            longest = max(surfaces, key=len)
            rule_drop = actor is None and not _keep_unlinked(typ, ms, longest)
            if rule_drop and not propose:
                continue
            roles = [r for i in idx if (r := role_spans[i]) is not None]
            country = actor.country if actor else next((m.country for m in ms if m.country), None)
            sector = actor.sector if actor else next((m.sector for m in ms if m.sector), None)
            attrs: dict[str, Any] = {"source": sorted({m.source for m in ms})}
            if rule_drop:
                attrs["rule_drop"] = True  # a proposal the hand-written filter would drop: the model decides
            if not actor:
                rc = next((r.attrs.get("country") for r in roles if r.attrs.get("country")), None)
                country = country or rc
                sector = sector or next((r.attrs.get("sector") for r in roles if r.attrs.get("sector")), None)
                if typ == "ORG":
                    country = country or _country_in_name(reg, [units[m.unit] for m in ms], ms)
                    if country is None and any(m.source == "ministry" for m in ms):
                        words = normalize(longest).split()
                        country = next((domain_country[w] for w in words[1:] if w in domain_country), None)
                    sector = sector or _org_sector(normalize(longest))
                    if (
                        country is None
                        and any(w in _INTERNATIONAL for m in ms for w in units[m.unit].norms[m.tok0 : m.tok1])
                        and not any(_head_kind(units[m.unit].norms[m.tok0]) == "PLACE" for m in ms)
                    ):
                        # المنظمة الدولية للطيران المدني، الاتحاد العالمي لـ…: an international body belongs to no country,
                        # whatever the words and sentences around it name (an international airport has one)
                        for m in ms:
                            m.no_country = True
                if typ in ("LOC", "GPE") and country is None and not any(m.no_country for m in ms):
                    country = self._gazetteer_country(ms, units, ctx)
                if typ in ("LOC", "GPE", "ORG") and country is None and not any(m.no_country for m in ms):
                    country = next((cc for m in ms if (cc := _country_nearby(reg, units[m.unit], m))), None)
                if typ == "PER" and country is None:
                    # a nisba right after the name (عبدالله الراشد السعودي); a country named nearby is more often
                    # the one the person acts on than theirs (dev: Brian Hook, Mohsen Fakhrizadeh)
                    country = next((reg.nisba[n] for m in ms if m.tok1 < len(units[m.unit].norms)
                                    and (n := units[m.unit].norms[m.tok1]) in reg.nisba), None)
                    # …or right before it, with no title word (الفرنسي كريم بنزيمة، رجل الأعمال الروسي …)
                    country = country or next(
                        (cc for m in ms if (cc := _nisba_before(reg, units[m.unit], m, name_ends[m.unit]))), None
                    )
                if typ == "PER" and sector is None and roles:
                    sector = "GOV"
            if any(m.metonym for m in ms):
                attrs["metonym"] = True
            if actor and actor.roles and published:
                # offices the registry says this person held on the publication date (from/to are ISO dates)
                offices = [
                    r["title"]
                    for r in actor.roles
                    if r.get("title")
                    and r.get("src") == "curated"
                    and (r.get("from") or "") <= published <= (r.get("to") or "9999")
                ]
                if offices:
                    attrs["offices"] = offices
            shown = _display_form(surfaces)
            name = (
                (actor.name if actor else None) or next((m.name_en for m in ms if m.name_en), None) or shown
            )
            # names a reader can use: Arabic for the UI, Latin for exports meant for English tools (GDELT, PLOVER)
            arabic = [x for x in surfaces if has_arabic(x)]
            attrs["name_ar"] = (
                next((a for a in actor.ar if has_arabic(a)), None) if actor else None
            ) or (_display_form(arabic) if arabic else shown)
            attrs["name_latin"] = latin_name(name, typ)
            actor_id = aid or ("~" + (max((m.key for m in ms), key=len) or name_key(longest)))
            if typ == "LOC" and actor is None and country and not all(m.source == "facility" for m in ms):
                typ = "GPE"
            drafts.append({"idx": idx, "ms": ms, "typ": typ, "name": name, "actor_id": actor_id, "country": country,
                           "sector": sector, "roles": roles, "attrs": attrs, "linked": actor is not None})  # fmt: skip
        # a person whose title names an organisation found here acts for that organisation's country
        org_spans = [
            (m.start, m.end, d["country"])
            for d in drafts
            if d["typ"] == "ORG" and d["country"]
            for m in d["ms"]
        ]
        for d in drafts:
            if d["typ"] == "PER" and not d["linked"] and not d["country"]:
                for r in d["roles"]:
                    hit = next((cc for a, b, cc in org_spans if r.start <= a and b <= r.end), None)
                    if hit is None and r.attrs.get("sector") == "MED":
                        # مراسل بي بي سي: the outlet right after a reporter's title
                        hit = next((cc for a, b, cc in org_spans if 0 <= a - r.end <= 2), None)
                    if hit:
                        d["country"] = hit
                        break
            if d["typ"] in ("PER", "ORG") and d["country"] is None and not d["linked"] and not any(
                m.no_country for m in d["ms"]
            ):
                # one country named in every sentence the person (or body) is named in (and no other): theirs, more often
                # than the article's (الرئيس الفلبيني … دوتيرتي in a story about Kuwait)
                sets = [unit_countries.get(m.unit, set()) for m in d["ms"]]
                common = set.intersection(*sets) if sets else set()
                if len(common) == 1 and all(len(x) == 1 for x in sets) and (
                    d["typ"] != "PER" or _fits_origin(d["ms"], units, *common)
                ):
                    d["country"] = next(iter(common))
                    d["attrs"]["country_from"] = "sentence"
            if (
                d["country"] is None
                and not d["linked"]
                and not any(m.no_country for m in d["ms"])
                and d["typ"] in ("PER", "ORG", "LOC", "GPE")
                and context_country
            ):
                d["country"] = context_country
                if d["typ"] == "PER":
                    d["country"] = _origin_country(d["ms"], units, context_country, ctx, ctx_news) or context_country
                d["attrs"]["country_from"] = "context"
        entities: list[Entity] = []
        mention_entity: dict[int, str] = {}
        for n, d in enumerate(drafts, 1):
            eid = f"e{n}"
            for i in d["idx"]:
                mention_entity[i] = eid
            entities.append(
                Entity(
                    id=eid, type=d["typ"], name=d["name"],
                    mentions=tuple(Span(m.start, m.end, "mention", {"source": m.source}) for m in d["ms"]),
                    actor_id=d["actor_id"], country=d["country"], sector=d["sector"],
                    roles=tuple(sorted({(r.start, r.end): r for r in d["roles"]}.values(), key=lambda s: s.start)),
                    attrs=d["attrs"],
                )
            )  # fmt: skip
        kept = set(mention_entity)
        return entities, mention_entity, kept


def _display_form(surfaces: list[str]) -> str:
    """The form an entity is shown by: its longest surface, but not one that is another surface with a proclitic
    on its first word, as the stage reads clitics (:func:`_clitic_variants`: a span that kept لل in لليفربول names
    the club ليفربول)."""
    words = {x: normalize(x).split() for x in surfaces}

    def with_clitic(x: str) -> bool:
        wx = words[x]
        if not wx:
            return False
        stripped = {v for v, _ in _clitic_variants(wx[0])[1:]}
        return any(wy and wy[0] in stripped and wy[1:] == wx[1:] for wy in words.values())

    bare = [x for x in surfaces if not with_clitic(x)]
    return max(bare or surfaces, key=len)  # the first of the longest in text order, as before


def _fits_origin(ms: list[_Mention], units: list[_Unit], country: str) -> bool:
    """False when the name's origin rules the country out: an Arabic name and a non-Arab country (a doctor in
    Somalia quoted in a sentence about the US), or a transliterated foreign name and an Arab one."""
    longest = max(ms, key=lambda m: m.tok1 - m.tok0)
    origin = _name_origin(units[longest.unit].norms[longest.tok0 : longest.tok1])
    return not (origin == "ar" and country not in ARABIC_NAME_STATES or origin == "foreign" and country in ARAB_STATES)

def _origin_country(
    ms: list[_Mention], units: list[_Unit], context: str, ctx: Counter[str], ctx_news: Counter[str]
) -> str | None:
    """An unknown person's country when all the article offers is its context: a transliterated foreign name in a
    story about an Arab country (Barcelona's coach in a Saudi paper) takes the non-Arab country the text names most,
    an Arabic name in a story about a foreign country (a Saudi club's camp in Austria) the Arab country the article
    (with the outlet's home) counts most; None keeps the context country."""
    longest = max(ms, key=lambda m: m.tok1 - m.tok0)
    origin = _name_origin(units[longest.unit].norms[longest.tok0 : longest.tok1])
    if origin == "foreign" and context in ARAB_STATES:
        return next((c for c, _ in ctx_news.most_common() if c not in ARAB_STATES), None)
    if origin == "ar" and context not in ARABIC_NAME_STATES:
        return next((c for c, _ in ctx.most_common() if c in ARAB_STATES), None)
    return None
