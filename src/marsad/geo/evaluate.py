"""``marsad eval geo GOLD_DIR``: how often a gold place entity resolves to the right GeoNames place.

A gold GPE/LOC entity (``optional: false``) counts as resolved when the place we give it has the gold ``country``
(ISO3; a gold entity without a country — Europe, the Middle East — needs a place without one) and a GeoNames name
that matches the gold English ``name``: equal after :func:`marsad.geo.gazetteer.en_key` (case, accents,
apostrophes, a leading al-/el-) to the place's name or one of its GeoNames alternate Latin names, with a
parenthesised gloss in the gold name dropped (and, as a second try, a trailing ", qualifier": "Columbus, Ohio"
→ Columbus); for a first- or second-level division (ADM1/ADM2) a trailing kind
word (District, Governorate, Province, Region …) is dropped on both sides. Two modes:

- ``mentions``: the gold entity's mention strings go through the resolver with the article's context (countries
  named, dateline) — resolution alone, NER errors excluded; no gold country or name is given to the resolver;
- ``pipeline``: the full default pipeline runs on the gold text; a gold entity is scored through the system
  GPE/LOC entity sharing a mention string with it (unmatched gold entities are counted apart, as NER misses).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import InputError
from marsad.geo.gazetteer import Gazetteer, Place, en_key, load_gazetteer
from marsad.geo.resolve import Context, Resolver, heads_before
from marsad.lang.ar.normalize import normalize
from marsad.lang.ar.tokenize import strip_clitics

_GLOSS = re.compile(r"\s*\([^)]*\)")


def gold_files(gold_dir: str | Path) -> list[Path]:
    d = Path(gold_dir)
    if not d.is_dir():
        raise InputError(f"gold folder not found: {d}", code="E810")
    files = sorted(d.glob("*.json"))
    if not files:
        raise InputError(f"no gold *.json files in {d}", code="E810")
    return files


def body_start(doc: dict[str, Any]) -> int:
    """Offset of the first line of ``text`` that is neither the title nor a boilerplate line."""
    skip = {(doc.get("title") or "").strip()} | {b.strip() for b in doc.get("boilerplate") or ()}
    pos = 0
    for line in doc["text"].splitlines(keepends=True):
        if line.strip() and line.strip() not in skip:
            return pos
        pos += len(line)
    return 0


# the word an English name adds for an administrative division's kind (Sirwah District, Saada Governorate)
_ADMIN_WORD = re.compile(r" (?:district|governorate|province|region|prefecture|county|municipality|emirate)$")


def name_matches(gold_name: str, place: Place) -> bool:
    bare = _GLOSS.sub("", gold_name)
    # the gold name as written, and without a trailing ", Region" qualifier (Columbus, Ohio), a gloss like (…)
    golds = {en_key(bare), en_key(bare.split(",")[0])} - {""}
    names = {en_key(n) for n in place.en_names}
    if place.feature_code in ("ADM1", "ADM2"):
        # a division is named with or without its kind word, on either side: GeoNames' ADM2 "Sirwah" is the gold's
        # "Sirwah District" (only for a place that is that kind of division, never for a city of the same name)
        golds = {_ADMIN_WORD.sub("", g) for g in golds}
        names |= {_ADMIN_WORD.sub("", n) for n in names}
    return bool(golds & names)


def is_correct(gold: dict[str, Any], place: Place | None) -> bool:
    if place is None:
        return False
    return (gold.get("country") or None) == place.country_iso3 and name_matches(gold["name"], place)


@dataclass
class GeoReport:
    mode: str
    total: int = 0
    correct: int = 0
    with_country: int = 0
    correct_with_country: int = 0
    unmatched: int = 0  # pipeline mode: gold entities no system place entity shares a mention with
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def rate_with_country(self) -> float:
        return self.correct_with_country / self.with_country if self.with_country else 0.0

    def add(self, gold: dict[str, Any], place: Place | None, doc_id: str, mentions: list[str]) -> None:
        ok = is_correct(gold, place)
        self.total += 1
        self.correct += ok
        if gold.get("country"):
            self.with_country += 1
            self.correct_with_country += ok
        if not ok:
            self.misses.append({
                "doc": doc_id, "mentions": mentions, "gold": f"{gold['name']} [{gold.get('country')}]",
                "got": f"{place.name} [{place.country_iso3}] {place.feature_class}/{place.feature_code}" if place else None,
            })  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode, "total": self.total, "correct": self.correct, "rate": round(self.rate, 4),
            "with_country": self.with_country, "correct_with_country": self.correct_with_country,
            "rate_with_country": round(self.rate_with_country, 4), "unmatched": self.unmatched,
            "misses": self.misses,
        }  # fmt: skip


def _place_entities(doc: dict[str, Any]) -> Iterable[dict[str, Any]]:
    return (e for e in doc["entities"] if e["type"] in ("GPE", "LOC") and not e.get("optional"))


def _prev_words(text: str, mentions: list[str]) -> list[str]:
    """The word before every occurrence of every mention string on its line (the stage reads the same from its
    mentions). An occurrence inside a longer word is skipped."""
    out = []
    for m in mentions:
        for hit in re.finditer(re.escape(m), text):
            start = hit.start()
            if start > 0 and text[start - 1].isalpha():
                # the name with و on it (وتعز): the conjunction ends the text before it; any other letter: a word
                if text[start - 1] != "و" or (start > 1 and text[start - 2].isalpha()):
                    continue
                start -= 1
            left = text[max(0, start - 120) : start].rsplit("\n", 1)[-1]
            out += heads_before(left + (" و" if start < hit.start() else ""))
    return out


def evaluate_mentions(gold_dirs: Iterable[str | Path], gaz: Gazetteer | None = None) -> GeoReport:
    gaz = gaz or load_gazetteer()
    res = Resolver(gaz)
    rep = GeoReport("mentions")
    for d in gold_dirs:
        for f in gold_files(d):
            doc = json.loads(f.read_text(encoding="utf-8"))
            ctx = Context.from_text(doc["text"], gaz, body_start=body_start(doc))
            for g in _place_entities(doc):
                mentions = list(g.get("mentions") or ())
                r = res.resolve(mentions, ctx, prev_words=_prev_words(doc["text"], mentions), text=doc["text"])
                rep.add(g, r.place if r else None, doc["id"], mentions)
    return rep


def evaluate_pipeline(gold_dirs: Iterable[str | Path], gaz: Gazetteer | None = None) -> GeoReport:
    from marsad.data import Article, Rejection
    from marsad.stages import default_pipeline

    gaz = gaz or load_gazetteer()
    pipe = default_pipeline(time_limit=None)
    rep = GeoReport("pipeline")
    for d in gold_dirs:
        for f in gold_files(d):
            doc = json.loads(f.read_text(encoding="utf-8"))
            out = pipe.process(Article.new(doc["text"], id=doc["id"], source="gold"))
            if isinstance(out, Rejection):
                raise InputError(f"{f}: the pipeline rejected the gold article ({out.reason})", code="E811")
            ents = out.entities
            by_mention: dict[str, Any] = {}
            for e in ents:
                if e.type in ("GPE", "LOC"):
                    sub = {(x["start"], x["end"]): x for x in e.attrs.get("geo_mentions") or ()}
                    for m in e.mentions:
                        # a mention naming a place inside its entity's country (a capital) is scored as that place
                        key = normalize(out.text[m.start : m.end]).strip()
                        by_mention.setdefault(key, (e.attrs.get("geo"), sub.get((m.start, m.end))))
            for g in _place_entities(doc):
                mentions = list(g.get("mentions") or ())
                keys = [k for m in mentions for k in _mkeys(m)]
                hits = [by_mention[k] for k in keys if k in by_mention]
                if not hits:
                    rep.unmatched += 1
                # the entity's place, unless every matched mention names a place inside it (only its capital)
                geo = None
                if hits:
                    geo = hits[0][0] if any(h[1] is None for h in hits) else hits[0][1]
                place = _place_from_attrs(gaz, geo) if geo else None
                rep.add(g, place, doc["id"], mentions)
    return rep


def _mkeys(s: str) -> list[str]:
    n = normalize(s).strip()
    pre, stem = strip_clitics(n)
    return [n, stem] if pre else [n]


def _place_from_attrs(gaz: Gazetteer, geo: dict[str, Any]) -> Place | None:
    gid = geo.get("geonameid")
    for p in gaz.places:
        if (gid is not None and p.geonameid == gid) or (
            gid is None and p.name == geo.get("name") and p.country_iso3 == geo.get("country_iso3")
        ):
            return p
    return None
