"""News-domain NER training sentences from gold article annotations, and the entity figure cross-validated by
document.

Gold articles (``../shared/gold/train/*.json``, format in ``../shared/gold/README.md``) list every entity with all the
surface strings of its name (``mentions``) but no offsets. :func:`project_article` puts them back on the text: every
occurrence of every mention, at word boundaries, with a leading clitic (و ف ب ل ك, وب/فل…, لل for ال) allowed on the
first word (the tagger reads clitics attached, as in ANERcorp), longest match first, BIO over the tagger's four types
(gold GPE → LOC). The text is split into units (title, sentences) and tokens exactly as the ``entities`` stage does
before tagging, so the tagger learns from what it will be given.

:func:`entities_cv` is the honest measurement: K folds by document; each fold's tagger is trained on ANERcorp train
plus the projected sentences of the other folds' articles only, and the whole pipeline is run over the held-out
articles with it. The pooled records are scored like any system output (``../shared/eval/score.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from marsad.entities.ner.corpus import Sentence
from marsad.errors import InputError

Log = Callable[[str], None]

# gold type → the tagger's type (ANERcorp labels): states, cities and regions are LOC there
GOLD_TYPE = {"PER": "PER", "PERS": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "MISC": "MISC"}
# tokens the stage leaves out of the tagger's input (hashtag and underscore joiners); kept in step with common._JOINERS
_JOINERS = {"_", "-", "#", "–"}


def read_gold(gold_dir: Path | str) -> list[dict[str, Any]]:
    """The gold documents of a folder (``*.json``), sorted by file name."""
    d = Path(gold_dir)
    if not d.is_dir():
        raise InputError(f"gold folder not found: {d}")
    docs = []
    for p in sorted(d.glob("*.json")):
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise InputError(f"{p}: not a gold JSON file ({e})") from e
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str) or "entities" not in doc:
            raise InputError(f"{p}: not a gold file (needs 'text' and 'entities')")
        doc.setdefault("id", p.stem)
        docs.append(doc)
    if not docs:
        raise InputError(f"no gold *.json files in {d}")
    return docs


def gold_record(doc: dict[str, Any]) -> dict[str, Any]:
    """The input a system is given for a gold document (what ``../shared/eval/gold_inputs.py`` writes)."""
    return {"id": doc["id"], "text": doc["text"], **(doc.get("input_meta") or {})}


def _first_forms(norm: str) -> set[str]:
    """Normalised forms a mention's first word may take in text: itself, with a proclitic, ال read as لل."""
    forms = {norm}
    for c in ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل"):
        forms.add(c + norm)
    if norm.startswith("ال") and len(norm) > 3:
        for p in ("لل", "ولل", "فلل"):
            forms.add(p + norm[2:])
    return forms


def project_units(units: Sequence[Any], entities: Iterable[dict[str, Any]]) -> list[Sentence]:
    """BIO sentences for ``units`` (objects with ``tokens``: :class:`marsad.lang.ar.tokenize.Token` lists) from the
    gold ``entities``. Joiner tokens are dropped from the sentences, as the stage drops them before tagging."""
    from marsad.lang.ar.tokenize import tokenize

    # (first-word forms, the other words, type) per mention; a mention string that two entities share keeps one type
    pats: dict[tuple[str, ...], str] = {}
    for ent in entities:
        typ = GOLD_TYPE.get(str(ent.get("type", "")).upper())
        if typ is None:
            continue
        for m in ent.get("mentions") or []:
            toks = tuple(t.norm for t in tokenize(m) if t.norm not in _JOINERS)
            if toks and any(len(t) > 1 for t in toks):
                pats.setdefault(toks, typ)
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for toks, typ in pats.items():
        for f in _first_forms(toks[0]):
            by_first.setdefault(f, []).append((toks, typ))
    out: list[Sentence] = []
    for unit in units:
        keep = [t for t in unit.tokens if t.text not in _JOINERS]
        norms = [t.norm for t in keep]
        cands: list[tuple[int, int, str]] = []
        for i, w in enumerate(norms):
            for toks, typ in by_first.get(w, ()):
                j = i + len(toks)
                if j <= len(norms) and tuple(norms[i + 1 : j]) == toks[1:]:
                    cands.append((i, j, typ))
        labels = ["O"] * len(keep)
        # longest first (in characters), then leftmost: a longer name wins over the shorter one inside it
        cands.sort(key=lambda c: (-(keep[c[1] - 1].end - keep[c[0]].start), c[0]))
        for i, j, typ in cands:
            if all(lab == "O" for lab in labels[i:j]):
                labels[i] = "B-" + typ
                for k in range(i + 1, j):
                    labels[k] = "I-" + typ
        if keep:
            out.append(Sentence(tuple(t.text for t in keep), tuple(labels)))
    return out


def _units_pipeline() -> Any:
    from marsad.stages import default_pipeline

    return default_pipeline(upto="text-layer", time_limit=None)


def gold_sentences(docs: Iterable[dict[str, Any]], *, log: Log | None = None) -> list[Sentence]:
    """Projected BIO sentences of the gold documents ``docs`` (title and body units, boilerplate never)."""
    from marsad.data import Rejection
    from marsad.entities.stage import article_units
    from marsad.readers.jsonl import record_to_article

    pipe = _units_pipeline()
    out: list[Sentence] = []
    n_docs = 0
    for doc in docs:
        art = record_to_article(gold_record(doc), where=str(doc["id"]))
        if isinstance(art, Rejection):
            continue
        res = pipe.process(art)
        if isinstance(res, Rejection):
            continue
        out.extend(project_units(article_units(res), doc.get("entities") or []))
        n_docs += 1
    if log:
        n_ent = sum(lab.startswith("B-") for s in out for lab in s.labels)
        log(f"gold: {len(out)} sentences, {sum(len(s.tokens) for s in out):,} tokens, {n_ent:,} entity spans "
            f"from {n_docs} articles")
    return out


def folds(docs: Sequence[dict[str, Any]], k: int) -> list[list[int]]:
    """Document indices per fold: documents sorted by id, dealt round-robin (every source spread over the folds)."""
    if k < 2 or k > len(docs):
        raise InputError(f"--cv needs 2 <= K <= number of documents ({len(docs)}), got {k}")
    order = sorted(range(len(docs)), key=lambda i: str(docs[i]["id"]))
    return [order[f::k] for f in range(k)]


def train_tagger(
    gold_docs: Sequence[dict[str, Any]],
    out_dir: Path,
    *,
    data_dir: Path | None = None,
    resources: Path | None = None,
    gold_weight: int | None = None,
    anercorp: bool = True,
    log: Log = print,
) -> Path:
    """A CRF trained on ANERcorp train + the projected sentences of ``gold_docs`` (each repeated ``gold_weight``
    times), over the clusters/gazetteer of ``resources`` (default: the shipped CRF's, which no gold text built)."""
    from marsad.entities.ner import DEFAULT_CRF_MODEL
    from marsad.entities.ner.corpus import anercorp_path, read_conll
    from marsad.entities.ner.crf import RESOURCES_FILE
    from marsad.entities.ner.features import Resources
    from marsad.entities.ner.train import DEFAULTS, train_crf

    weight = GOLD_WEIGHT if gold_weight is None else gold_weight
    sents = read_conll(anercorp_path("train", data_dir)) if anercorp else []
    gold = gold_sentences(gold_docs, log=log)
    from marsad.entities.lexicon import head_gazetteer

    res = Resources.load(resources or (DEFAULT_CRF_MODEL / RESOURCES_FILE))
    # name heads (وزارة، محافظة، مهرجان …) as gazetteer classes hORG / hPLACE / hEVENT: the word that opens a name
    for k, v in head_gazetteer().items():
        res.gazetteer[k] = sorted(set(res.gazetteer.get(k, [])) | set(v))
    res.meta["data"] = ("ANERcorp CAMeL train + " if anercorp else "") + (
        f"{len(gold_docs)} gold news articles (projected mentions, x{weight})"
    )
    return train_crf(
        sents + gold * weight,
        res,
        out_dir,
        c1=DEFAULTS["c1"],
        c2=DEFAULTS["c2"],
        max_iterations=int(DEFAULTS["iterations"]),
        log=log,
    )


# Gold sentences are repeated this many times in training (they are a tenth of ANERcorp's size but are the
# domain the pipeline runs on).
GOLD_WEIGHT = 3


def run_pipeline(docs: Iterable[dict[str, Any]], *, ner_model: Path | None = None) -> list[dict[str, Any]]:
    """System records (``Article.to_dict()``) for gold documents, through the whole default pipeline."""
    from marsad.data import Rejection
    from marsad.readers.jsonl import record_to_article
    from marsad.stages import default_pipeline

    pipe = default_pipeline(ner_model=str(ner_model) if ner_model else None)
    out = []
    for doc in docs:
        art = record_to_article(gold_record(doc), where=str(doc["id"]))
        res = art if isinstance(art, Rejection) else pipe.process(art)
        if isinstance(res, Rejection):
            out.append({"id": doc["id"], "rejected": res.message()})
        else:
            out.append(res.to_dict())
    return out


def entities_cv(
    gold_dir: Path | str,
    *,
    k: int = 5,
    work_dir: Path,
    data_dir: Path | None = None,
    gold_weight: int | None = None,
    reuse: bool = False,
    log: Log = print,
) -> list[dict[str, Any]]:
    """K-fold cross-validation by document over ``gold_dir``: for each fold, a tagger trained on ANERcorp train +
    the other folds' gold articles (never its own), then the whole pipeline over the fold's articles with that
    tagger. Returns the system records of every article (each produced by the fold that held it out), ready for
    ``score.py``. Fold models are written under ``work_dir/fold-N``; with ``reuse`` the taggers already there are
    used again (the same folds: to measure a change of the stage, not of the tagger)."""
    import time

    docs = read_gold(gold_dir)
    out: dict[str, dict[str, Any]] = {}
    for f, held in enumerate(folds(docs, k)):
        t0 = time.time()
        held_set = set(held)
        train_docs = [d for i, d in enumerate(docs) if i not in held_set]
        fold_dir = Path(work_dir) / f"fold-{f}"
        log(f"fold {f + 1}/{k}: training on {len(train_docs)} gold articles + ANERcorp, holding out {len(held)}")
        if reuse and (fold_dir / "ner.crfsuite").is_file():
            log(f"fold {f + 1}/{k}: reusing the tagger in {fold_dir}")
        else:
            train_tagger(train_docs, fold_dir, data_dir=data_dir, gold_weight=gold_weight, log=log)
        for rec in run_pipeline([docs[i] for i in held], ner_model=fold_dir):
            out[str(rec["id"])] = rec
        log(f"fold {f + 1}/{k} done in {time.time() - t0:.0f}s")
    return [out[str(d["id"])] for d in docs]
