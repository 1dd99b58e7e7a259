"""The quotes stage: who said what (direct and reported speech). The attribution rules find quotes and propose a
speaker; the learned speaker ranker (:mod:`marsad.quotes.speakers`, shipped as package data) then decides among
every entity of the article, keeping the rules' choice where it is unsure."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any

from marsad.data import Article
from marsad.gcpause import cyclic_gc_paused
from marsad.quotes.extract import MentionIndex, extract_quotes_and_speakers
from marsad.quotes.speakers import SpeakerModel, shipped_model


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
            if proposed:  # a proposed speaker the ranker did not keep is not an entity of the article
                said = {i for q in out.quotes for i in q.speaker}
                dropped = {e.id for e in proposed if e.id not in said}
                if dropped:
                    out = out.evolve(entities=tuple(e for e in out.entities if e.id not in dropped))
        return out

    def warm(self) -> None:
        """Build the speaker slot's tables now (see :meth:`marsad.pipeline.Pipeline.warm`): built on the first quote
        instead, every forked pool worker paid for them again rather than inheriting them from the parent."""
        from marsad.quotes import slot

        slot.warm()


def build_stage(**options: Any) -> QuotesStage | None:
    """``speaker_model``: True (default) ranks speakers with the shipped model, False keeps the rules' speakers
    (what ``marsad train quotes`` learns from), or a :class:`SpeakerModel`."""
    if importlib.util.find_spec("marsad.entities.stage") is None:
        return None  # speakers need the entity layer: the default pipeline skips quotes until it exists
    choice = options.get("speaker_model", True)
    model = shipped_model() if choice is True else (choice or None)
    return QuotesStage(speakers=model)
