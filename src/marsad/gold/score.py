"""Scoring system records against gold articles, with the published scorer's rules.

Same matching as ``../shared/eval/score.py`` (``tests/gold/test_score_agrees.py`` checks the figures agree), plus
what that script does not give: per-type event tables, per-document figures and an error list a person can read.
Strings are compared after the light folding the gold README describes; a system entity links to a gold entity
when one of its mention strings (or its name) equals one of the gold mentions, with or without a leading clitic.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_TOKEN = re.compile(r"\w+", re.UNICODE)
_CLITIC = re.compile(r"^(?:لل|[وفبلك])(?=\S{2,})")
COARSE = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANIZATION": "ORG",
          "GPE": "LOC", "LOC": "LOC", "LOCATION": "LOC", "MISC": "MISC", "MIS": "MISC"}  # fmt: skip
CURRENT = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
           "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")  # fmt: skip
LEGACY = {"DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "DEMAND": "REQUEST", "FIGHT": "ASSAULT"}


def plover(t: object) -> str:
    s = str(t or "").upper()
    return LEGACY.get(s, s)


def fold(s: str) -> str:
    s = _DIACRITICS.sub("", s or "").translate(_FOLD)
    s = re.sub(r"[\"'«»“”‘’]", "", s)
    return " ".join(s.split())


def mention_keys(s: str) -> set[str]:
    n = fold(s)
    keys = {n}
    if n:
        keys.add(_CLITIC.sub("", n))
        if n.startswith("ال"):
            keys.add(n[2:])
    return {k for k in keys if k}


def tokens(s: str) -> list[str]:
    return _TOKEN.findall(fold(s))


def coverage(inner: Sequence[str], outer: Sequence[str]) -> float:
    if not inner:
        return 0.0
    ca, cb = Counter(inner), Counter(outer)
    return sum(min(ca[t], cb[t]) for t in ca) / len(inner)


def _sys_mentions(ent: Mapping[str, Any]) -> list[str]:
    texts = [m.get("text", "") if isinstance(m, Mapping) else str(m) for m in ent.get("mentions") or []]
    if ent.get("name"):
        texts.append(str(ent["name"]))
    return texts


def _keys(strings: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for s in strings:
        out |= mention_keys(s)
    return out


def entity_links(gold_ents: Sequence[Mapping], sys_ents: Sequence[Mapping], *, typed: bool) -> dict[str, set[str]]:
    """System entity id -> gold entity ids it matches (same coarse type when ``typed``)."""
    gold = [(g["id"], COARSE.get(str(g["type"]).upper(), "MISC"), _keys(g.get("mentions") or [])) for g in gold_ents]
    links: dict[str, set[str]] = {}
    for s in sys_ents:
        stype = COARSE.get(str(s.get("type", "")).upper(), "MISC")
        sk = _keys(_sys_mentions(s))
        links[str(s.get("id"))] = {gid for gid, gt, gk in gold if (not typed or gt == stype) and sk & gk}
    return links


def actors_match(gold_ids: Sequence[str], sys_ids: Sequence[str], links: Mapping[str, set[str]]) -> bool:
    if not gold_ids:
        return not sys_ids
    mapped: set[str] = set()
    for i in sys_ids:
        mapped |= links.get(str(i), set())
    return bool(mapped & set(gold_ids))


@dataclass
class Counts:
    tp_p: float = 0.0
    n_pred: float = 0.0
    tp_r: float = 0.0
    n_gold: float = 0.0

    def add(self, tp_p: float, n_pred: float, tp_r: float, n_gold: float) -> None:
        self.tp_p += tp_p
        self.n_pred += n_pred
        self.tp_r += tp_r
        self.n_gold += n_gold

    def prf(self) -> dict[str, float]:
        p = self.tp_p / self.n_pred if self.n_pred else (1.0 if not self.n_gold else 0.0)
        r = self.tp_r / self.n_gold if self.n_gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "n_pred": self.n_pred, "n_gold": self.n_gold}


SUMMARY_KEYS = ("body", "entities", "quotes", "quotes_attributed", "events", "events_dyad")


@dataclass
class Scorer:
    """Accumulates the published scorer's figures over documents, plus per-type event counts and errors."""

    acc: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in SUMMARY_KEYS})
    accuracy: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[dict[str, Any]] = field(default_factory=list)
    legacy: int = 0
    documents: int = 0

    def add(self, gold: Mapping[str, Any], out: Mapping[str, Any]) -> dict[str, Any]:
        self.documents += 1
        doc: dict[str, Any] = {"id": gold["id"]}
        if "title" in gold:
            self.accuracy["title"].append(fold(out.get("title") or "") == fold(gold.get("title") or ""))
        if "published" in gold:
            self.accuracy["published"].append((out.get("published") or None) == (gold.get("published") or None))
        gb, sb = _body_tokens(gold), tokens(out.get("body") or "")
        ov = _overlap(sb, gb)
        self.acc["body"].add(ov, len(sb), ov, len(gb))

        gents = list(gold.get("entities") or [])
        sents = list(out.get("entities") or [])
        typed = entity_links(gents, sents, typed=True)
        anyt = entity_links(gents, sents, typed=False)
        optional = {g["id"] for g in gents if g.get("optional")}
        required = [g for g in gents if not g.get("optional")]
        found: set[str] = set().union(*typed.values()) if typed else set()
        tp_r = sum(1 for g in required if g["id"] in found)
        n_pred = sum(1 for s in sents if not (typed[str(s.get("id"))] and typed[str(s.get("id"))] <= optional))
        tp_p = sum(1 for s in sents if typed[str(s.get("id"))] - optional)
        self.acc["entities"].add(tp_p, n_pred, tp_r, len(required))
        gcountry = {g["id"]: g.get("country") for g in gents}
        for s in sents:
            for gid in typed[str(s.get("id"))]:
                if gcountry.get(gid):
                    self.accuracy["entity_country"].append((s.get("country") or None) == gcountry[gid])
        for g in required:
            if g["id"] not in found:
                self.errors.append({"doc": gold["id"], "kind": "entity missed", "what": f"{g['type']} {g['name']}",
                                    "text": " / ".join(g.get("mentions") or [])})  # fmt: skip

        self._quotes(gold, out, anyt)
        doc.update(self._events(gold, out, sents, anyt, gcountry))
        return doc

    def _quotes(self, gold: Mapping, out: Mapping, anyt: Mapping[str, set[str]]) -> None:
        gq = list(gold.get("quotes") or [])
        sq = list(out.get("quotes") or [])
        gq_tok = [tokens(q["text"]) for q in gq]
        sq_tok = [tokens(q.get("text", "")) for q in sq]
        names = {str(s.get("id")): str(s.get("name")) for s in out.get("entities") or []}
        gnames = {g["id"]: g["name"] for g in gold.get("entities") or []}
        for attributed, key in ((False, "quotes"), (True, "quotes_attributed")):
            tp_r = n_gold = 0
            for q, qt in zip(gq, gq_tok, strict=True):
                if q.get("optional"):
                    continue
                n_gold += 1
                hit = False
                for s, st in zip(sq, sq_tok, strict=True):
                    if coverage(qt, st) >= 0.5 and (
                        not attributed or actors_match(q["speaker"], s.get("speaker") or [], anyt)
                    ):
                        hit = True
                        break
                tp_r += hit
                if attributed and not hit:
                    said = [s for s, st in zip(sq, sq_tok, strict=True) if coverage(qt, st) >= 0.5]
                    self.errors.append({
                        "doc": gold["id"], "kind": "quote speaker wrong" if said else "quote missed",
                        "what": "gold: " + ", ".join(gnames.get(i, i) for i in q["speaker"]) + (
                            "; system: " + ", ".join(names.get(str(i), str(i)) for i in said[0].get("speaker") or [])
                            if said else ""),
                        "text": q["text"][:160],
                    })  # fmt: skip
            tp_p = n_pred = 0
            for s, st in zip(sq, sq_tok, strict=True):
                hit_opt = hit = False
                for q, qt in zip(gq, gq_tok, strict=True):
                    if coverage(st, qt) >= 0.5 or coverage(qt, st) >= 0.5:
                        if not attributed or actors_match(q["speaker"], s.get("speaker") or [], anyt):
                            if q.get("optional"):
                                hit_opt = True
                            else:
                                hit = True
                if hit:
                    tp_p += 1
                    n_pred += 1
                elif not hit_opt:
                    n_pred += 1
            self.acc[key].add(tp_p, n_pred, tp_r, n_gold)

    def _events(
        self, gold: Mapping, out: Mapping, sents: Sequence[Mapping], anyt: Mapping[str, set[str]],
        gcountry: Mapping[str, str | None],
    ) -> dict[str, Any]:  # fmt: skip
        ge = list(gold.get("events") or [])
        se = list(out.get("events") or [])
        self.legacy += sum(1 for e in se if str(e.get("type", "")).upper() not in CURRENT)
        scountry = {str(s.get("id")): s.get("country") for s in sents}
        names = {str(s.get("id")): str(s.get("name")) for s in sents}
        gnames = {g["id"]: g["name"] for g in gold.get("entities") or []}

        def countries(ids: Sequence[str], table: Mapping[str, str | None]) -> set[str]:
            return {c for c in (table.get(str(i)) for i in ids) if c}

        def ev_match(g: Mapping, s: Mapping, dyad: bool) -> bool:
            types = {plover(g["type"]), *map(plover, g.get("alt_types", []))}
            if plover(s.get("type", "")) not in types:
                return False
            src, tgt = s.get("source") or [], s.get("target") or []
            pairs = [(src, tgt)] + ([(tgt, src)] if g.get("symmetric") else [])
            for a, b in pairs:
                if dyad:
                    gs, gt = countries(g["source"], gcountry), countries(g["target"], gcountry)
                    ss = countries(a, scountry) | {
                        c for i in a for gid in anyt.get(str(i), set()) for c in [gcountry.get(gid)] if c
                    }
                    st = countries(b, scountry) | {
                        c for i in b for gid in anyt.get(str(i), set()) for c in [gcountry.get(gid)] if c
                    }
                    if (gs & ss if gs else not ss) and (gt & st if gt else not st):
                        return True
                elif actors_match(g["source"], a, anyt) and actors_match(g["target"], b, anyt):
                    return True
            return False

        doc: dict[str, Any] = {}
        for dyad, key in ((False, "events"), (True, "events_dyad")):
            c = Counts()
            for g in ge:
                if g.get("optional"):
                    continue
                hit = any(ev_match(g, s, dyad) for s in se)
                c.add(0, 0, hit, 1)
                if not dyad:
                    self.by_type[plover(g["type"])].add(0, 0, hit, 1)
                    if not hit:
                        self.errors.append({
                            "doc": gold["id"], "kind": "event missed",
                            "what": f"{plover(g['type'])} {_names(g['source'], gnames)} -> {_names(g['target'], gnames)}",
                            "text": str(g.get("evidence") or "")[:160],
                        })  # fmt: skip
            for s in se:
                req = any(ev_match(g, s, dyad) for g in ge if not g.get("optional"))
                opt = any(ev_match(g, s, dyad) for g in ge if g.get("optional"))
                if req or not opt:
                    c.add(int(req), 1, 0, 0)
                    if not dyad:
                        self.by_type[plover(s.get("type"))].add(int(req), 1, 0, 0)
                        if not req:
                            self.errors.append({
                                "doc": gold["id"], "kind": "event spurious",
                                "what": f"{plover(s.get('type'))} {_names(s.get('source') or [], names)} -> "
                                        f"{_names(s.get('target') or [], names)}",
                                "text": _evidence_text(out, s),
                            })  # fmt: skip
            self.acc[key].add(c.tp_p, c.n_pred, c.tp_r, c.n_gold)
            doc[key] = c.prf()["f1"]
        return doc

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"documents": self.documents, "events_not_current_plover": self.legacy}
        for k in ("title", "published", "entity_country"):
            v = self.accuracy.get(k) or []
            out[k] = round(sum(v) / len(v), 4) if v else None
        for k in SUMMARY_KEYS:
            out[k] = self.acc[k].prf()
        out["events_by_type"] = {t: c.prf() for t, c in sorted(self.by_type.items())}
        return out

    def lines(self) -> list[str]:
        """The summary in ``score.py``'s layout, then the per-type event table."""
        s = self.summary()
        rows = [f"documents {s['documents']}"]
        for k in ("title", "published", "entity_country"):
            rows.append(f"{k:18s} accuracy {s[k]}")
        for k in SUMMARY_KEYS:
            r = s[k]
            rows.append(f"{k:18s} P {r['p']:.3f}  R {r['r']:.3f}  F1 {r['f1']:.3f}  "
                        f"(pred {r['n_pred']:g}, gold {r['n_gold']:g})")  # fmt: skip
        rows.append("")
        rows.append(f"{'event type':18s} {'P':>6s} {'R':>6s} {'F1':>6s} {'pred':>6s} {'gold':>6s}")
        for t, r in s["events_by_type"].items():
            rows.append(f"{t:18s} {r['p']:6.3f} {r['r']:6.3f} {r['f1']:6.3f} {r['n_pred']:6g} {r['n_gold']:6g}")
        return rows


def score_docs(golds: Sequence[Mapping[str, Any]], outs: Mapping[str, Mapping[str, Any]]) -> Scorer:
    sc = Scorer()
    for g in golds:
        sc.add(g, outs.get(str(g["id"])) or {})
    return sc


def _names(ids: Sequence[str], table: Mapping[str, str]) -> str:
    return "+".join(table.get(str(i), str(i)) for i in ids) or "-"


def _evidence_text(out: Mapping[str, Any], ev: Mapping[str, Any]) -> str:
    evd = ev.get("evidence")
    text = out.get("text") or ""
    if isinstance(evd, Mapping) and text and "start" in evd:
        return str(text[int(evd["start"]) : int(evd["end"])])[:160]
    return ""


def _body_tokens(gold: Mapping[str, Any]) -> list[str]:
    skip = {fold(b) for b in gold.get("boilerplate", [])}
    if gold.get("title"):
        skip.add(fold(gold["title"]))
    kept = [ln for ln in str(gold["text"]).splitlines() if ln.strip() and fold(ln.strip()) not in skip]
    return tokens("\n".join(kept))


def _overlap(a: Sequence[str], b: Sequence[str]) -> int:
    ca, cb = Counter(a), Counter(b)
    return sum(min(ca[t], cb[t]) for t in ca)
