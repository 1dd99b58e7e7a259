"""CRF tagger (python-crfsuite) over :mod:`marsad.entities.ner.features`."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from marsad.entities.ner.consistency import propagate
from marsad.entities.ner.corpus import repair_bio
from marsad.entities.ner.features import Featurizer, Resources
from marsad.errors import InputError

MODEL_FILE = "ner.crfsuite"
RESOURCES_FILE = "resources.json.gz"


class CRFTagger:
    """Tags tokenised sentences with BIO labels. Safe to share between threads: crfsuite taggers are not, so each
    thread opens its own (a cheap mmap of the model file).

    The sentences of one :meth:`tag` call are read as one document: with ``document=True`` (the default) names tagged
    in one sentence are propagated to their untagged repeats in the others (:mod:`.consistency`). Pass an article's
    sentences together; pass sentences one call each to get purely sentence-level tagging.
    """

    backend = "crf"

    def __init__(self, model_dir: Path | str, *, document: bool = True) -> None:
        self.document = document
        self.model_dir = Path(model_dir)
        self.model_path = self.model_dir / MODEL_FILE
        if not self.model_path.is_file():
            raise InputError(f"no CRF NER model at {self.model_path}")
        res_path = self.model_dir / RESOURCES_FILE
        self.resources = Resources.load(res_path) if res_path.is_file() else Resources()
        self.featurizer = Featurizer(self.resources)
        self._local = threading.local()
        self.labels = tuple(self._tagger().labels())

    def _tagger(self) -> pycrfsuite.Tagger:
        t = getattr(self._local, "tagger", None)
        if t is None:
            t = pycrfsuite.Tagger()
            t.open(str(self.model_path))
            self._local.tagger = t
        return t

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        tagger = self._tagger()
        feat = self.featurizer.sentence
        out: list[list[str]] = []
        for toks in sentences:
            if not toks:
                out.append([])
                continue
            out.append(repair_bio(tagger.tag(feat(toks))))
        if self.document and len(out) > 1:
            out = [repair_bio(x) for x in propagate(sentences, out)]
        return out

    def marginals(self, tokens: Sequence[str]) -> list[dict[str, float]]:
        """Per-token label marginals (for confidence scores and ensembling)."""
        tagger = self._tagger()
        tagger.set(self.featurizer.sentence(tokens))
        return [{lab: tagger.marginal(lab, i) for lab in self.labels} for i in range(len(tokens))]

    def sequence_probability(self, tokens: Sequence[str], labels: Sequence[str]) -> float:
        tagger = self._tagger()
        tagger.set(self.featurizer.sentence(tokens))
        return float(tagger.probability(list(labels)))
