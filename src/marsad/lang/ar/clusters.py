"""Word clusters (k-means over word2vec vectors trained on the unlabelled Arabic news; 64/256/1024 classes).

They ship with the CRF NER model (``entities/ner/models/crf/resources.json.gz``, built by ``marsad train ner``); the
event and speaker models read the same table, through the tagger the entity stage has already loaded (one load per
process), so that a word unseen in their training data still shares a feature with the words of its cluster (a verb
of condemnation the gold never used falls with the ones it did).
"""

from __future__ import annotations

from functools import lru_cache

from marsad.errors import MarsadError


@lru_cache(maxsize=1)
def word_clusters() -> dict[str, list[str]]:
    """Normalised word -> cluster ids (coarse to fine); empty when the CRF model is not installed."""
    from marsad.entities.ner import load_tagger

    try:
        tagger = load_tagger("crf")
    except (MarsadError, OSError):
        return {}
    res = getattr(tagger, "resources", None)
    return res.clusters if res is not None else {}
