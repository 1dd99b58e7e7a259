"""Scoring a tagger on a labelled corpus (``marsad eval ner``)."""

from __future__ import annotations

from pathlib import Path

from marsad.entities.ner import DEFAULT_BACKEND, load_tagger
from marsad.entities.ner.corpus import (
    Sentence,
    anercorp_path,
    aqmar_paths,
    read_conll,
    read_many,
    shared_data_dir,
)
from marsad.entities.ner.scoring import Scores, score


def load_eval_data(data: str, data_dir: Path | None = None) -> tuple[list[Sentence], str]:
    if data == "anercorp":
        p = anercorp_path("test", data_dir)
        return read_conll(p), "ANERcorp CAMeL test"
    if data == "aqmar":
        return read_many(aqmar_paths(data_dir or shared_data_dir())), "AQMAR (28 Wikipedia articles)"
    return read_conll(data), str(data)


def evaluate(
    data: str,
    *,
    backend: str = DEFAULT_BACKEND,
    model: Path | None = None,
    data_dir: Path | None = None,
    doc_size: int = 20,
) -> tuple[Scores, str]:
    """Score a tagger on ``data``. The corpora have no document boundaries, so runs of ``doc_size`` consecutive
    sentences stand in for articles (the tagger reads one call as one document); ``doc_size=1`` is purely
    sentence-level."""
    sents, name = load_eval_data(data, data_dir)
    tagger = load_tagger(backend, model)
    toks = [s.tokens for s in sents]
    step = max(1, doc_size)
    pred: list[list[str]] = []
    for i in range(0, len(toks), step):
        pred += tagger.tag(toks[i : i + step])
    return score([s.labels for s in sents], pred), name
