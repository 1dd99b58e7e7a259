"""The records that flow through marsad.

Everything extracted from an article is a :class:`Span` with character offsets into ``Article.text``, the text
exactly as it was received; ``article.text[span.start:span.end]`` is always the evidence. Records are frozen:
stages return new records with :func:`dataclasses.replace` rather than mutating what they were given.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from operator import attrgetter
from typing import Any, TypeVar

SCHEMA_VERSION = 1


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> tuple[str, bool]:
    """Lone surrogates (from JSON ``\\ud800`` escapes or ``surrogateescape`` decoding) cannot be written as UTF-8,
    stored, or tagged; they become U+FFFD and the caller flags the input as lossy."""
    if _LONE_SURROGATE.search(text) is None:
        return text, False
    return _LONE_SURROGATE.sub("\ufffd", text), True


_T = TypeVar("_T")


def _pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle ``cls`` as the class and its field values, rebuilt by calling the class: the same record. Pool
    workers send every processed article back this way (~90 records an article). The dataclass default for a frozen
    slotted class reads ``fields(self)`` per object on both sides (Python 3.11), twice as slow: 200 ANT articles,
    pickle 0.36 -> 0.17 ms and unpickle 0.42 -> 0.28 ms an article."""
    values = attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return type(self), values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


def content_hash(*parts: str, length: int = 16) -> str:
    """Stable id from content (sqlite-utils ``hash_id`` style): same input, same id, so re-ingest is idempotent."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of ``Article.text``: ``text[start:end]`` is the evidence, ``label`` says what it is."""

    start: int
    end: int
    label: str = ""
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"[E001] bad span offsets {self.start}..{self.end}")

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end}
        if self.label:
            d["label"] = self.label
        if self.attrs:
            d["attrs"] = dict(self.attrs)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Span:
        return cls(int(d["start"]), int(d["end"]), d.get("label", ""), dict(d.get("attrs") or {}))


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world referent in an article, with all its mentions.

    ``actor_id`` links to the actor registry when the referent is known there; otherwise it is a document-local
    key (``~`` + transliteration-aware normal form) that still lets the same new name meet across articles.
    """

    id: str
    type: str  # PER ORG GPE LOC MISC
    name: str  # canonical English name when known, else the longest Arabic surface form
    mentions: tuple[Span, ...]
    actor_id: str | None = None
    country: str | None = None  # ISO3
    sector: str | None = None  # CAMEO-style GOV MIL IGO ...
    roles: tuple[Span, ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_country(self) -> bool:
        """A state acting for itself: a GPE linked to the registry's actor for its country, whose id is the ISO3
        code (``actor_id == country``; the entity counterpart of ``Actor.is_country``). An entity with no country
        (and no actor id) is no state, and neither is a city, a province or a capital: their actor ids are their
        own (``city:…``, ``cap:…``) even where their country is known."""
        return self.type == "GPE" and bool(self.country) and self.actor_id == self.country

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "actor_id": self.actor_id,
            "country": self.country,
            "sector": self.sector,
            "mentions": [_span_with_text(s, text) for s in self.mentions],
            "roles": [_span_with_text(s, text) for s in self.roles],
            "attrs": dict(self.attrs),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Entity:
        return cls(
            id=d["id"],
            type=d["type"],
            name=d["name"],
            mentions=tuple(Span.from_dict(m) for m in d.get("mentions", ())),
            actor_id=d.get("actor_id"),
            country=d.get("country"),
            sector=d.get("sector"),
            roles=tuple(Span.from_dict(m) for m in d.get("roles", ())),
            attrs=dict(d.get("attrs") or {}),
        )


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Quote:
    """A statement attributed to someone: ``content`` is what was said, ``cue`` the verb that reports it."""

    id: str
    kind: str  # direct | indirect
    content: Span
    speaker: tuple[str, ...] = ()  # entity ids
    cue: Span | None = None
    speaker_span: Span | None = None  # the words naming the speaker (a name, a title, من جانبه ...)
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        d = {
            "id": self.id,
            "kind": self.kind,
            "speaker": list(self.speaker),
            "start": self.content.start,
            "end": self.content.end,
            "text": self.content.slice(text) if text is not None else None,
            "cue": _span_with_text(self.cue, text) if self.cue else None,
            "speaker_span": _span_with_text(self.speaker_span, text) if self.speaker_span else None,
            "attrs": dict(self.attrs),
        }
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Quote:
        return cls(
            id=d["id"],
            kind=d["kind"],
            content=Span(int(d["start"]), int(d["end"]), "quote"),
            speaker=tuple(d.get("speaker") or ()),
            cue=Span.from_dict(d["cue"]) if d.get("cue") else None,
            speaker_span=Span.from_dict(d["speaker_span"]) if d.get("speaker_span") else None,
            attrs=dict(d.get("attrs") or {}),
        )


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Event:
    """A PLOVER event between actors, with its evidence span and GDELT-style codes."""

    id: str
    type: str  # one of the 19 PLOVER categories
    evidence: Span
    source: tuple[str, ...] = ()  # entity ids
    target: tuple[str, ...] = ()
    mode: str | None = None
    date: str | None = None  # YYYY-MM-DD
    negated: bool = False
    modality: str | None = None  # None (asserted fact) | intend | hope | threaten | demand | ...
    symmetric: bool = False
    location: str | None = None  # entity id of the place, when stated
    confidence: float = 0.5
    cameo: str | None = None  # CAMEO root code, e.g. "04"
    quad_class: int | None = None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        d = {f: getattr(self, f) for f in _EVENT_SCALARS}
        d["source"] = list(self.source)
        d["target"] = list(self.target)
        d["evidence"] = _span_with_text(self.evidence, text)
        d["attrs"] = dict(self.attrs)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Event:
        kw: dict[str, Any] = {f: d.get(f) for f in _EVENT_SCALARS if f in d}
        return cls(
            evidence=Span.from_dict(d["evidence"]),
            source=tuple(d.get("source") or ()),
            target=tuple(d.get("target") or ()),
            attrs=dict(d.get("attrs") or {}),
            **kw,
        )


_EVENT_SCALARS = (
    "id", "type", "mode", "date", "negated", "modality", "symmetric", "location",
    "confidence", "cameo", "quad_class", "goldstein",
)  # fmt: skip


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Article:
    """One news article. ``text`` is the input exactly as received and is never changed; everything else points
    into it. ``body`` is the clean article text (the ``body`` layer's spans joined by blank lines)."""

    id: str
    text: str
    source: str = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_time: str | None = None  # HH:MM when the page gives it
    body: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)
    layers: Mapping[str, tuple[Span, ...]] = field(default_factory=dict)
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()

    @classmethod
    def new(
        cls,
        text: str,
        *,
        id: str | None = None,
        source: str = "",
        url: str | None = None,
        title: str | None = None,
        published: str | None = None,
        meta: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> Article:
        """An article fresh from a reader: metadata the source gave is recorded in ``meta['given']`` so that the
        cleaner never overrides it with a guess.

        The id (when none is given) hashes ``key`` and the text; ``key`` defaults to ``source``. Readers of local
        files pass what identifies the article apart from its text (its URL, its outlet) or "", never the path:
        an id must not depend on how a path was spelled (``d/x.txt`` and ``/abs/d/x.txt`` are one article)."""
        given = {k: v for k, v in (("title", title), ("published", published), ("url", url)) if v}
        m = dict(meta or {})
        m.setdefault("given", given)
        m.setdefault("content_hash", content_hash(source if key is None else key, text))
        return cls(
            id=id or m["content_hash"],
            text=text,
            source=source,
            url=url,
            title=title,
            published=published,
            meta=m,
        )

    @property
    def content_hash(self) -> str:
        return str(self.meta.get("content_hash") or content_hash(self.source, self.text))

    def layer(self, name: str) -> tuple[Span, ...]:
        return tuple(self.layers.get(name, ()))

    def with_layers(self, **new_layers: Iterable[Span]) -> Article:
        layers = dict(self.layers)
        for k, v in new_layers.items():
            layers[k] = tuple(v)
        return replace(self, layers=layers)

    def evolve(self, **changes: Any) -> Article:
        return replace(self, **changes)

    def entity(self, entity_id: str) -> Entity | None:
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None

    # -- serialisation ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict; carries what ../shared/gold/README.md asks a system to emit."""
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "published_time": self.published_time,
            "body": self.body,
            "meta": dict(self.meta),
            "entities": [e.to_dict(self.text) for e in self.entities],
            "quotes": [q.to_dict(self.text) for q in self.quotes],
            "events": [ev.to_dict(self.text) for ev in self.events],
            "boilerplate": [self.text[s.start : s.end] for s in self.layer("boilerplate")],
            "layers": {k: [s.to_dict() for s in v] for k, v in self.layers.items()},
            "text": self.text,
        }

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Article:
        return cls(
            id=d["id"],
            text=d["text"],
            source=d.get("source") or "",
            url=d.get("url"),
            title=d.get("title"),
            published=d.get("published"),
            published_time=d.get("published_time"),
            body=d.get("body") or "",
            meta=dict(d.get("meta") or {}),
            layers={k: tuple(Span.from_dict(s) for s in v) for k, v in (d.get("layers") or {}).items()},
            entities=tuple(Entity.from_dict(e) for e in d.get("entities") or ()),
            quotes=tuple(Quote.from_dict(q) for q in d.get("quotes") or ()),
            events=tuple(Event.from_dict(e) for e in d.get("events") or ()),
        )

    @classmethod
    def from_json(cls, s: str) -> Article:
        return cls.from_dict(json.loads(s))


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that did not make it, and why. Nothing disappears: rejections are stored and listable."""

    stage: str  # read | decode | clean | ner | ... | store
    code: str  # short machine code, e.g. E_EMPTY, E_BINARY, E_JSON
    reason: str  # one human sentence
    source: str = ""  # file path, path:line, URL, WARC record id ...
    raw: bytes | str | None = None  # the raw input (or a prefix of it for huge inputs, see attrs)
    id: str | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # readers build the reason from str(InputError), which already starts with "[CODE] ": keep it once
        prefix = f"[{self.code}] "
        if isinstance(self.reason, str) and self.reason.startswith(prefix):
            object.__setattr__(self, "reason", self.reason[len(prefix) :])

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        raw = self.raw
        if isinstance(raw, bytes):
            d["raw"] = raw.decode("utf-8", "replace")
            d["raw_is_bytes"] = True
        d["attrs"] = dict(self.attrs)
        return d

    def message(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}rejected at {self.stage} [{self.code}] {self.reason}"


def _span_with_text(span: Span | None, text: str | None) -> dict[str, Any] | None:
    if span is None:
        return None
    d = span.to_dict()
    if text is not None:
        d["text"] = text[span.start : span.end]
    return d
