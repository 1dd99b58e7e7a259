"""Annotation formats out and in: marsad's output to the tools annotators use, and their corrections back as
training data.

* **Label Studio** JSON tasks (:func:`to_label_studio`, :func:`label_studio_config`): entity mentions, quotes (with
  their kind, cue and speaker relations) and events (type, mode, actor / recipient relations, negation, modality) as
  pre-annotations on the article text. Label Studio exports the corrected tasks in the same JSON; :func:`from_label_studio`
  reads them (the last annotation of a task, else its prediction) into marsad's gold format
  (``../shared/gold/README.md``: ``text``, ``entities`` with ``mentions``, ``quotes``, ``events``), which
  ``marsad train ner --gold-dir`` trains on and ``marsad eval`` scores against.
* **CoNLL / IOB** (:func:`to_conll`, :func:`from_conll`): one ``token TAG`` line per token, a blank line between
  sentences, ``-DOCSTART- -X- ID`` between documents (the ANERcorp layout ``marsad train ner`` reads).

Hand-written (no library converts between marsad records and these formats); Label Studio's JSON task format is the
documented one (``data``, ``predictions`` / ``annotations`` with ``result`` regions; per-region choices share the
region's ``id``; relations are ``type: relation`` results with ``from_id`` / ``to_id``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from marsad.data import Article
from marsad.errors import InputError

ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "MISC")
QUOTE_KINDS = ("direct", "indirect", "mixed")
MODALITIES = ("fact", "intend", "hope", "threaten", "demand")


def _plover() -> Any:
    from marsad.events import plover

    return plover


def label_studio_config() -> str:
    """The Label Studio labeling config (XML) the exported tasks are made for."""
    plover = _plover()
    ents = "".join(f'<Label value="{t}"/>' for t in ENTITY_TYPES)
    evs = "".join(f'<Label value="{t}"/>' for t in plover.CATEGORIES)
    modes = sorted({m for c in plover.CATEGORIES for m in plover.modes(c)})
    return (
        "<View>\n"
        f'  <Labels name="entity" toName="text">{ents}</Labels>\n'
        '  <Labels name="quote" toName="text"><Label value="QUOTE"/><Label value="CUE"/></Labels>\n'
        f'  <Labels name="event" toName="text">{evs}</Labels>\n'
        '  <Text name="text" value="$text"/>\n'
        '  <Relations><Relation value="speaker"/><Relation value="cue"/><Relation value="actor"/>'
        '<Relation value="recipient"/></Relations>\n'
        '  <Choices name="quote_kind" toName="text" perRegion="true">'
        + "".join(f'<Choice value="{k}"/>' for k in QUOTE_KINDS) + "</Choices>\n"
        '  <Choices name="event_mode" toName="text" perRegion="true">'
        + "".join(f'<Choice value="{m}"/>' for m in modes) + "</Choices>\n"
        '  <Choices name="event_flags" toName="text" perRegion="true" choice="multiple">'
        '<Choice value="negated"/>' + "".join(f'<Choice value="{m}"/>' for m in MODALITIES[1:]) + "</Choices>\n"
        "</View>\n"
    )  # fmt: skip


def _region(rid: str, name: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {"id": rid, "from_name": name, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}  # fmt: skip


def _choices(rid: str, name: str, start: int, end: int, choices: list[str]) -> dict[str, Any]:
    return {"id": rid, "from_name": name, "to_name": "text", "type": "choices",
            "value": {"start": start, "end": end, "choices": choices}}  # fmt: skip


def _relation(a: str, b: str, label: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": a, "to_id": b, "direction": "right", "labels": [label]}


def to_label_studio(article: Article) -> dict[str, Any]:
    """One Label Studio task with marsad's analysis as a prediction (pre-annotation)."""
    plover = _plover()
    text = article.text
    result: list[dict[str, Any]] = []
    first_mention: dict[str, str] = {}
    ent_meta: dict[str, dict[str, Any]] = {}
    for ent in article.entities:
        ent_meta[ent.id] = {"name": ent.name, "country": ent.country, "sector": ent.sector, "actor_id": ent.actor_id}
        for k, m in enumerate(ent.mentions):
            rid = f"{ent.id}~m{k}"
            first_mention.setdefault(ent.id, rid)
            result.append(_region(rid, "entity", m.start, m.end, text, ent.type))
    for q in article.quotes:
        rid = f"{q.id}~q"
        result.append(_region(rid, "quote", q.content.start, q.content.end, text, "QUOTE"))
        result.append(_choices(rid, "quote_kind", q.content.start, q.content.end, [q.kind]))
        result += [_relation(rid, first_mention[s], "speaker") for s in q.speaker if s in first_mention]
        if q.cue is not None:
            result.append(_region(f"{q.id}~c", "quote", q.cue.start, q.cue.end, text, "CUE"))
            result.append(_relation(rid, f"{q.id}~c", "cue"))
    for ev in article.events:
        if not plover.is_category(ev.type):
            continue
        f = plover.fold(ev.type, ev.mode)
        rid = f"{ev.id}~e"
        s, e = ev.evidence.start, ev.evidence.end
        result.append(_region(rid, "event", s, e, text, f.category))
        if f.mode:
            result.append(_choices(rid, "event_mode", s, e, [f.mode]))
        flags = (["negated"] if ev.negated else []) + (
            [ev.modality] if ev.modality in MODALITIES[1:] else ["intend"] if ev.modality == "fut" else [])
        if flags:
            result.append(_choices(rid, "event_flags", s, e, flags))
        result += [_relation(rid, first_mention[x], "actor") for x in ev.source if x in first_mention]
        result += [_relation(rid, first_mention[x], "recipient") for x in ev.target if x in first_mention]
    return {
        "data": {"text": text, "marsad_id": article.id, "title": article.title, "published": article.published,
                 "source": article.source, "url": article.url, "entities": ent_meta,
                 "event_dates": {ev.id: ev.date for ev in article.events}},
        "predictions": [{"model_version": "marsad", "result": result}],
    }  # fmt: skip


def _task_result(task: dict[str, Any]) -> list[dict[str, Any]]:
    anns = [a for a in task.get("annotations") or () if not a.get("was_cancelled")]
    if anns:
        return list(anns[-1].get("result") or [])
    preds = task.get("predictions") or []
    return list(preds[-1].get("result") or []) if preds else []


def from_label_studio(task: dict[str, Any]) -> dict[str, Any]:
    """A gold document (marsad's annotation format) from a Label Studio task as exported after correction."""
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise InputError("Label Studio task without data.text", code="E_ANNOTATION")
    meta = data.get("entities") or {}
    regions: dict[str, dict[str, Any]] = {}
    choices: dict[str, dict[str, list[str]]] = {}
    relations: list[tuple[str, str, str]] = []
    for r in _task_result(task):
        if r.get("type") == "relation":
            label = (r.get("labels") or [""])[0]
            relations.append((str(r.get("from_id")), str(r.get("to_id")), label))
        elif r.get("type") == "labels":
            v = r.get("value") or {}
            if "start" not in v or "end" not in v or not v.get("labels"):
                continue
            regions[str(r.get("id"))] = {"name": r.get("from_name"), "start": int(v["start"]), "end": int(v["end"]),
                                         "label": v["labels"][0]}  # fmt: skip
        elif r.get("type") == "choices":
            choices.setdefault(str(r.get("id")), {})[str(r.get("from_name"))] = list(
                (r.get("value") or {}).get("choices") or [])
    # entities: regions of one marsad entity stay one entity (the region id keeps it); a region an annotator added
    # is an entity of its own per (label, surface)
    ents: dict[str, dict[str, Any]] = {}
    region_entity: dict[str, str] = {}
    for rid, reg in regions.items():
        if reg["name"] != "entity":
            continue
        surface = text[reg["start"] : reg["end"]]
        eid = rid.split("~", 1)[0] if "~m" in rid else f"new:{reg['label']}:{surface}"
        m = meta.get(eid) or {}
        ent = ents.setdefault(eid, {"id": eid, "type": reg["label"], "name": m.get("name") or surface,
                                    "country": m.get("country"), "sector": m.get("sector"), "mentions": [],
                                    "offsets": []})  # fmt: skip
        ent["type"] = reg["label"]  # the annotator's label wins (a changed label changes the entity)
        if surface not in ent["mentions"]:
            ent["mentions"].append(surface)
        ent["offsets"].append([reg["start"], reg["end"]])
        region_entity[rid] = eid
    quotes, events = [], []
    dates = data.get("event_dates") or {}
    for rid, reg in regions.items():
        span = text[reg["start"] : reg["end"]]
        rel = [(b, lab) for a, b, lab in relations if a == rid and b in region_entity]
        ch = choices.get(rid, {})
        if reg["name"] == "quote" and reg["label"] == "QUOTE":
            cue = next((regions[b] for a, b, lab in relations if a == rid and lab == "cue" and b in regions), None)
            quotes.append({"speaker": [region_entity[b] for b, lab in rel if lab == "speaker"],
                           "kind": (ch.get("quote_kind") or ["indirect"])[0], "text": span,
                           "cue": text[cue["start"] : cue["end"]] if cue else None,
                           "offsets": [reg["start"], reg["end"]]})  # fmt: skip
        elif reg["name"] == "event":
            flags = ch.get("event_flags") or []
            modality = next((f for f in flags if f in MODALITIES), None)
            events.append({
                "type": reg["label"], "source": [region_entity[b] for b, lab in rel if lab == "actor"],
                "target": [region_entity[b] for b, lab in rel if lab == "recipient"],
                "mode": next(iter(ch.get("event_mode") or []), None), "date": dates.get(rid.split("~", 1)[0]),
                "negated": "negated" in flags, "modality": modality, "evidence": span,
                "offsets": [reg["start"], reg["end"]],
            })  # fmt: skip
    doc_id = str(data.get("marsad_id") or task.get("id") or "")
    input_meta = {k: data[k] for k in ("title", "published", "url", "source") if data.get(k)}
    return {"id": doc_id, "text": text, "input_meta": input_meta, "title": data.get("title"),
            "published": data.get("published"), "entities": list(ents.values()), "quotes": quotes,
            "events": events}  # fmt: skip


def read_label_studio(raw: str) -> list[dict[str, Any]]:
    """Gold documents from a Label Studio JSON export (a list of tasks, or one task)."""
    try:
        tasks = json.loads(raw)
    except ValueError as e:
        raise InputError(f"not Label Studio JSON ({e})", code="E_ANNOTATION") from e
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise InputError("Label Studio JSON must be a list of tasks", code="E_ANNOTATION")
    return [from_label_studio(t) for t in tasks]


# --- CoNLL / IOB --------------------------------------------------------------------------------------------
def _units(article: Article) -> list[tuple[int, int]]:
    sents = article.layer("sentences")
    if sents:
        return [(s.start, s.end) for s in sents]
    out, pos = [], 0
    for line in article.text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def to_conll(article: Article) -> str:
    """``token TAG`` lines (IOB2 over PER/ORG/GPE/LOC/MISC from the entity mentions), a blank line between
    sentences, the document opened by ``-DOCSTART- -X- <id>``."""
    from marsad.lang.ar.tokenize import tokenize

    spans = sorted((m.start, m.end, e.type) for e in article.entities for m in e.mentions)
    lines = [f"-DOCSTART- -X- {article.id}", ""]
    for start, end in _units(article):
        toks = [t for t in tokenize(article.text, start, end) if t.text.strip()]
        if not toks:
            continue
        for t in toks:
            tag = "O"
            for s, e, typ in spans:
                if s <= t.start < e:
                    tag = ("I-" if t.start > s and any(s <= u.start < t.start for u in toks) else "B-") + typ
                    break
            lines.append(f"{t.text} {tag}")
        lines.append("")
    return "\n".join(lines) + "\n"


def from_conll(raw: str) -> list[dict[str, Any]]:
    """Gold documents from CoNLL/IOB text: each document's text is its tokens joined by spaces (a sentence a line),
    its entities the B/I spans grouped by (type, surface)."""
    docs: list[dict[str, Any]] = []

    def new(doc_id: str) -> dict[str, Any]:
        d: dict[str, Any] = {"id": doc_id, "lines": [[]]}
        docs.append(d)
        return d

    cur: dict[str, Any] | None = None
    for n, line in enumerate(raw.splitlines(), 1):
        parts = line.split()
        if parts[:1] == ["-DOCSTART-"]:
            cur = new(parts[2] if len(parts) > 2 else f"doc{len(docs) + 1}")
            continue
        if cur is None:
            cur = new("doc1")
        if not parts:
            if cur["lines"][-1]:
                cur["lines"].append([])
            continue
        if len(parts) < 2:
            raise InputError(f"CoNLL line {n}: expected 'token TAG', got {line!r}", code="E_ANNOTATION")
        tag = parts[-1]
        if tag != "O" and not (tag[:2] in ("B-", "I-") and tag[2:] in ENTITY_TYPES + ("PERS",)):
            raise InputError(f"CoNLL line {n}: unknown tag {tag!r} (O, B-/I- of {', '.join(ENTITY_TYPES)})",
                             code="E_ANNOTATION")
        cur["lines"][-1].append((parts[0], tag.replace("PERS", "PER")))
    out = []
    for d in docs:
        text_lines: list[str] = []
        ents: dict[tuple[str, str], dict[str, Any]] = {}
        offset = 0
        for sent in (s for s in d["lines"] if s):
            pieces: list[str] = []
            open_span: list[Any] | None = None
            spans: list[tuple[int, int, str]] = []
            pos = offset
            for tok, tag in sent:
                if pieces:
                    pos += 1
                start = pos
                pieces.append(tok)
                pos += len(tok)
                if tag.startswith("B-") or (tag.startswith("I-") and (open_span is None or open_span[2] != tag[2:])):
                    if open_span:
                        spans.append(tuple(open_span))  # type: ignore[arg-type]
                    open_span = [start, pos, tag[2:]]
                elif tag.startswith("I-") and open_span is not None:
                    open_span[1] = pos
                else:
                    if open_span:
                        spans.append(tuple(open_span))  # type: ignore[arg-type]
                    open_span = None
            if open_span:
                spans.append(tuple(open_span))  # type: ignore[arg-type]
            line_text = " ".join(pieces)
            text_lines.append(line_text)
            for s, e, typ in spans:
                surface = line_text[s - offset : e - offset]
                ent = ents.setdefault((typ, surface), {"id": f"E{len(ents) + 1}", "type": typ, "name": surface,
                                                       "mentions": [surface], "offsets": []})  # fmt: skip
                ent["offsets"].append([s, e])
            offset += len(line_text) + 1
        out.append({"id": d["id"], "text": "\n".join(text_lines), "entities": list(ents.values()), "quotes": [],
                    "events": []})  # fmt: skip
    return out


def write_gold(docs: Sequence[dict[str, Any]], out_dir: Any) -> list[str]:
    """Write gold documents as ``<out_dir>/<id>.json`` (the folder ``marsad train ner --gold-dir`` reads)."""
    import re
    from pathlib import Path

    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, doc in enumerate(docs):
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", str(doc.get("id") or f"doc{n + 1}"))[:120] or f"doc{n + 1}"
        p = d / f"{name}.json"
        p.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(str(p))
    return paths


def export_tasks(articles: Iterable[Article]) -> list[dict[str, Any]]:
    return [to_label_studio(a) for a in articles]
