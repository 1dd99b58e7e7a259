"""Named-entity recognition for Arabic news: BIO tags over PER, ORG, LOC, MISC.

>>> from marsad.entities.ner import load_tagger
>>> tagger = load_tagger()                       # the CRF model shipped in the package
>>> tagger.tag([["وقال", "وزير", "الخارجية", "سيرجي", "لافروف"]])   # doctest: +SKIP
[['O', 'O', 'O', 'B-PER', 'I-PER']]

Tokens are those of :func:`marsad.lang.ar.tokenize.tokenize` (clitics stay attached, as in ANERcorp).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from marsad.entities.ner.corpus import LABELS, TYPES
from marsad.errors import ConfigError

MODELS_DIR = Path(__file__).parent / "models"
DEFAULT_CRF_MODEL = MODELS_DIR / "crf"
DEFAULT_NEURAL_MODEL = MODELS_DIR / "neural"
BACKENDS = ("neural", "crf", "transformers")
# The default tagger is the CRF: on whole news articles (the dev gold set) it does as well as the BiLSTM-CRF
# ("neural": +5 F1 on ANERcorp test, +4 on AQMAR) and keeps the pipeline above 100 articles/s on two cores, which
# the neural tagger does not (54). See models/README.md for the figures.
DEFAULT_BACKEND = "crf"

__all__ = ["LABELS", "TYPES", "Tagger", "load_tagger", "BACKENDS", "DEFAULT_BACKEND", "DEFAULT_CRF_MODEL"]


class Tagger(Protocol):
    backend: str

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]: ...


_cache: dict[tuple[str, str], Tagger] = {}
_lock = threading.Lock()


def load_tagger(backend: str = DEFAULT_BACKEND, model: str | Path | None = None) -> Tagger:
    """A tagger for ``backend`` ("crf", "neural" or "transformers"), loaded once per (backend, model) and shared.

    ``model`` is a model directory; ``None`` means the model shipped with marsad for "crf" / "neural" (the
    transformers backend has no default: pass the folder of a fine-tuned token-classification model).
    """
    backend = (backend or DEFAULT_BACKEND).lower()
    if backend not in BACKENDS:
        raise ConfigError(f"unknown NER backend {backend!r} (use 'crf', 'neural' or 'transformers')")
    if backend == "transformers" and model is None:
        raise ConfigError(
            "the transformers NER backend needs --ner-model PATH (a local token-classification model)"
        )
    default = DEFAULT_NEURAL_MODEL if backend == "neural" else DEFAULT_CRF_MODEL
    path = Path(model) if model is not None else default
    key = (backend, str(path.resolve()))
    with _lock:
        tagger = _cache.get(key)
        if tagger is None:
            if backend == "crf":
                from marsad.entities.ner.crf import CRFTagger

                tagger = CRFTagger(path)
            elif backend == "neural":
                from marsad.entities.ner.neural import NeuralTagger

                tagger = NeuralTagger(path)
            else:
                from marsad.entities.ner.hf import TransformersTagger

                tagger = TransformersTagger(path)
            _cache[key] = tagger
    return tagger
