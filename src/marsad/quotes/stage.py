"""The quotes stage: who said what (direct and reported speech). The attribution rules find quotes and propose a
speaker; the learned speaker ranker (:mod:`marsad.quotes.speakers`, shipped as package data) then decides among
every entity of the article, keeping the rules' choice where it is unsure."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from marsad.data import Article, Entity, Span
from marsad.gcpause import cyclic_gc_paused
from marsad.quotes.extract import MentionIndex, extract_quotes_and_speakers
from marsad.quotes.speakers import SpeakerModel, proposal_hosts, shipped_model


@dataclass
class QuotesStage:
    name: str = "quotes"
    requires: frozenset[str] = frozenset({"sentences", "entities"})
    provides: frozenset[str] = frozenset({"quotes"})
    speakers: SpeakerModel | None = None

    def __call__(self, article: Article) -> Article:
        with cyclic_gc_paused():  # no cycles made here; full passes over a long article cost its length squared
            return self._run(article)

    def _run(self, article: Article) -> Article:
        ix = MentionIndex.of(article)
        n_items = len(ix.items)
        quotes, proposed = extract_quotes_and_speakers(article, index=ix)
        out = article.evolve(quotes=tuple(quotes), entities=(*article.entities, *proposed))
        # the index gained the slot's mentions: rebuild it from the entities kept
        if self.speakers is not None:
            out = self.speakers.assign(out, index=ix if len(ix.items) == n_items else MentionIndex.of(out))
            if proposed:
                out = settle_proposals(out, proposed)
        return out

    def warm(self) -> None:
        """Build the speaker slot's tables now (see :meth:`marsad.pipeline.Pipeline.warm`): built on the first quote
        instead, every forked pool worker paid for them again rather than inheriting them from the parent."""
        from marsad.quotes import slot

        slot.warm()


def settle_proposals(article: Article, proposed: Sequence[Entity]) -> Article:
    """The article's entities once the speakers are decided: a proposed speaker nobody kept is no entity of the
    article, and one whose name runs around a mention of an entity the article already has (شركة كذا، كذا الأمريكية
    around كذا: a longer name around a mention the entity stage cut short) is that entity, named once more. (Train
    5-fold CV: the gold names the shorter entity, and a second entity for it matched no gold speaker.)"""
    said = {i for q in article.quotes for i in q.speaker}
    ids = {e.id for e in proposed}
    into = proposal_hosts(article, [p for p in proposed if p.id in said])
    keep = said - set(into)
    if not into and ids <= keep:
        return article
    extra: dict[str, list[Span]] = {}
    for p in proposed:
        if p.id in into:
            extra.setdefault(into[p.id], []).extend(p.mentions)
    ents = []
    for e in article.entities:
        if e.id in ids and e.id not in keep:
            continue
        if e.id in extra:
            have = {(m.start, m.end) for m in e.mentions}
            more = [m for m in extra[e.id] if (m.start, m.end) not in have]
            e = replace(e, mentions=tuple(sorted((*e.mentions, *more), key=lambda m: (m.start, m.end))))
        ents.append(e)
    quotes = tuple(
        replace(q, speaker=tuple(dict.fromkeys(into.get(i, i) for i in q.speaker))) if set(q.speaker) & set(into) else q
        for q in article.quotes
    )  # fmt: skip
    return article.evolve(entities=tuple(ents), quotes=quotes)


def build_stage(**options: Any) -> QuotesStage | None:
    """``speaker_model``: True (default) ranks speakers with the shipped model, False keeps the rules' speakers
    (what ``marsad train quotes`` learns from), or a :class:`SpeakerModel`."""
    if importlib.util.find_spec("marsad.entities.stage") is None:
        return None  # speakers need the entity layer: the default pipeline skips quotes until it exists
    choice = options.get("speaker_model", True)
    model = shipped_model() if choice is True else (choice or None)
    return QuotesStage(speakers=model)
