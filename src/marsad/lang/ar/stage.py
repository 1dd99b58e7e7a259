"""The Arabic text layer as a stage: sentences over the body spans (tokens are computed on demand)."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.data import Article
from marsad.lang.ar.sentences import split_sentences


@dataclass
class TextLayerStage:
    name: str = "text-layer"
    requires: frozenset[str] = frozenset({"body"})
    provides: frozenset[str] = frozenset({"sentences"})
    max_words: int = 80

    def __call__(self, article: Article) -> Article:
        sents = []
        for b in article.layer("body"):
            sents.extend(split_sentences(article.text, b.start, b.end, max_words=self.max_words))
        return article.with_layers(sentences=sents)


def build_stage(**options) -> TextLayerStage:  # noqa: ARG001 - options are shared by all stage factories
    return TextLayerStage()
