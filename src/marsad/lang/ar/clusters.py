"""Word clusters (k-means over word2vec vectors trained on the unlabelled Arabic news; 64/256/1024 classes).

They ship with the NER model (``entities/ner/models/crf/resources.json.gz``, built by ``marsad train ner``); the
event and speaker models read the same table so that a word unseen in their training data still shares a feature
with the words of its cluster (a verb of condemnation the gold never used falls with the ones it did).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

_SOURCE = ("marsad.entities.ner", "models/crf/resources.json.gz")


@lru_cache(maxsize=1)
def word_clusters() -> dict[str, tuple[str, ...]]:
    """Normalised word -> cluster ids (coarse to fine); empty when the NER resources are absent."""
    ref = resources.files(_SOURCE[0]).joinpath(_SOURCE[1])
    if not ref.is_file():
        return {}
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return {w: tuple(c) for w, c in (data.get("clusters") or {}).items()}
