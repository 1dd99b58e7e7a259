"""Cut an article's text into flat segments for highlighting entities, quotes and events from their offsets.

Spans overlap and nest (a mention inside a quote inside an event's evidence), and HTML cannot express
overlapping elements, so the text is cut at every span boundary and each piece carries the set of spans that
cover it. The template renders each piece as one escaped ``<span>`` (with a link when an entity covers it).
Boilerplate and title spans are taken out of the body and shown apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    kind: str  # ent | quote | event
    label: str = ""  # PER/ORG/... for ent; direct/indirect for quote; PLOVER type for event
    ref: str = ""  # entity id / quote id / event id
    href: str | None = None  # where a click goes (actor page)
    title: str = ""  # tooltip text


@dataclass(slots=True)
class Segment:
    text: str
    start: int
    end: int
    marks: list[Mark] = field(default_factory=list)

    @property
    def classes(self) -> str:
        out = []
        for m in self.marks:
            out.append(f"hl-{m.kind}")
            if m.label:
                out.append(f"hl-{m.kind}-{_css_word(m.label)}")
        return " ".join(dict.fromkeys(out))

    @property
    def href(self) -> str | None:
        # The innermost (shortest) entity mention wins the link.
        ents = [m for m in self.marks if m.kind == "ent" and m.href]
        return min(ents, key=lambda m: m.end - m.start).href if ents else None

    @property
    def title(self) -> str:
        return " · ".join(dict.fromkeys(m.title for m in self.marks if m.title))

    @property
    def refs(self) -> str:
        return " ".join(dict.fromkeys(m.ref for m in self.marks if m.ref))


def _css_word(s: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in s).lower()[:24]


def regions(length: int, removed: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[0, length)`` not covered by ``removed`` (boilerplate, title)."""
    clipped = ((min(max(0, s), length), min(max(0, e), length)) for s, e in removed)
    cuts = sorted((s, e) for s, e in clipped if e > s)
    out: list[tuple[int, int]] = []
    pos = 0
    for s, e in cuts:
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < length:
        out.append((pos, length))
    return out


def segment(text: str, marks: Sequence[Mark], *, start: int = 0, end: int | None = None) -> list[Segment]:
    """Flat segments of ``text[start:end]``; each knows the marks covering it. Marks outside are clipped."""
    end = len(text) if end is None else end
    bounds = {start, end}
    usable = []
    for m in marks:
        s, e = max(m.start, start), min(m.end, end)
        if s < e:
            usable.append(m)
            bounds.update((s, e))
    cuts = sorted(bounds)
    # Sweep: marks sorted by start; active set filtered per piece. Articles have at most a few hundred marks.
    usable.sort(key=lambda m: (m.start, -m.end))
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in usable if m.start <= a and m.end >= b]
        out.append(Segment(text[a:b], a, b, covering))
    return out


def body_blocks(text: str, marks: Sequence[Mark], removed: Iterable[tuple[int, int]]) -> list[list[Segment]]:
    """The article body as blocks (the stretches between boilerplate/title), each a list of segments."""
    blocks = []
    for s, e in regions(len(text), removed):
        # trim the blank lines around a block (they would show under white-space: pre-wrap)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            blocks.append(segment(text, marks, start=s, end=e))
    return blocks


def article_marks(article: Mapping[str, Any], actor_href) -> list[Mark]:
    """Marks from an article record (``Article.to_dict()`` shape): entity mentions, quotes, event evidence."""
    marks: list[Mark] = []
    names = {}
    for ent in article.get("entities") or ():
        names[ent.get("id")] = ent.get("name") or ""
        key = ent.get("actor_id") or ent.get("attrs", {}).get("key") or None
        href = actor_href(ent, key)
        for m in ent.get("mentions") or ():
            marks.append(Mark(int(m["start"]), int(m["end"]), "ent", ent.get("type") or "", ent.get("id") or "",
                              href, f"{ent.get('type', '')} {ent.get('name', '')}".strip()))
    for q in article.get("quotes") or ():
        if q.get("start") is None:
            continue
        who = "، ".join(names.get(s, s) for s in q.get("speaker") or ()) or "؟"
        marks.append(Mark(int(q["start"]), int(q["end"]), "quote", q.get("kind") or "", q.get("id") or "",
                          None, f"اقتباس ({who})"))
        cue = q.get("cue")
        if cue:
            marks.append(Mark(int(cue["start"]), int(cue["end"]), "cue", "", q.get("id") or "", None, "فعل القول"))
    for ev in article.get("events") or ():
        span = ev.get("evidence") or {}
        if span.get("start") is None:
            continue
        marks.append(Mark(int(span["start"]), int(span["end"]), "event", ev.get("type") or "", ev.get("id") or "",
                          None, f"حدث {ev.get('type', '')}"))
    return marks
