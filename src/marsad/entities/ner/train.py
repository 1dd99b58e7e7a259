"""Training the CRF NER model: resources (embedding clusters, gazetteer) + crfsuite."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pycrfsuite

from marsad.entities.ner.corpus import Sentence
from marsad.entities.ner.crf import MODEL_FILE, RESOURCES_FILE
from marsad.entities.ner.features import Featurizer, Resources

Log = Callable[[str], None]


def train_crf(
    sents: Sequence[Sentence],
    resources: Resources,
    out_dir: Path,
    *,
    c1: float = 0.05,
    c2: float = 0.01,
    max_iterations: int = 200,
    log: Log = print,
) -> Path:
    """Train a CRF on ``sents`` and write model + resources into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    feat = Featurizer(resources)
    tick: list[Callable[..., None]] = []

    class _Trainer(pycrfsuite.Trainer):  # type: ignore[misc]
        def on_iteration(self, log: str, info: dict) -> None:  # L-BFGS iteration: advance the progress bar
            for t in tick:
                t()

    trainer = _Trainer(verbose=False)
    t0 = time.time()
    for s in sents:
        trainer.append(feat.sentence(s.tokens), list(s.labels))
    log(f"features for {len(sents)} sentences in {time.time() - t0:.1f}s")
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": 0,
        }
    )
    t0 = time.time()
    model_path = out_dir / MODEL_FILE
    from marsad.cli.options import progress

    with progress("train ner (CRF iterations)", max_iterations, unit="iterations") as advance:
        tick.append(advance)
        trainer.train(str(model_path))
    log(f"CRF trained in {time.time() - t0:.1f}s (c1={c1}, c2={c2}, iterations={max_iterations})")
    resources.meta.update({"c1": c1, "c2": c2, "max_iterations": max_iterations})
    resources.save(out_dir / RESOURCES_FILE)
    return model_path


def load_gazetteer(data_dir: Path, *, anergazet: bool = False) -> dict[str, list[str]]:
    """Normalised single-word gazetteer entries → classes. Countries/capitals come from the CLDR / world-countries /
    countrynames columns of lexicons/countries_ar.tsv; marsad's own tables add person first names and the actor
    registry's single-word names. ANERGazet (person name parts, places, organisations) is off by default: its licence
    is unknown (research use only), and the gazetteer's words are stored in the shipped resources file, so a model
    built with it could not be redistributed (``--anergazet`` for local experiments)."""
    from marsad.lang.ar.normalize import normalize

    gaz: dict[str, set[str]] = {}

    def add(name: str, cls: str) -> None:
        n = normalize(name.strip())
        if n and " " not in n and len(n) > 1:
            gaz.setdefault(n, set()).add(cls)

    lex = data_dir / "lexicons"
    tsv = lex / "countries_ar.tsv"
    if tsv.is_file():
        rows = tsv.read_text(encoding="utf-8").splitlines()
        head = rows[0].split("\t")
        for row in rows[1:]:
            d = dict(zip(head, row.split("\t"), strict=False))
            for col in ("ar_cldr_babel", "ar_world_countries", "ar_variants_countrynames_arabic_only"):
                for v in (d.get(col) or "").split("|"):
                    add(v, "COUNTRY")
            add(d.get("capital_ar_world_countries") or "", "CAPITAL")
    for name, cls in _own_gazetteer():
        add(name, cls)
    if anergazet:
        for fname, cls in (
            ("AlignedLocGazetteer.txt", "LOC"),
            ("AlignedOrgGazetteer.txt", "ORG"),
            ("AlignedPersGazetteer.txt", "PER"),
        ):
            p = lex / "anergazet" / fname
            if p.is_file():
                for line in p.read_text(encoding="utf-8").splitlines():
                    if not line.startswith("===="):
                        add(line, cls)
    return {k: sorted(v) for k, v in sorted(gaz.items())}


def _own_gazetteer():
    """Single-word names from marsad's own curated data: given names, and the actor registry's Arabic names."""
    import gzip
    import json
    from importlib import resources

    data = resources.files("marsad.entities") / "data"
    first = data / "curated" / "first_names.txt"
    if first.is_file():
        for line in first.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                for w in line.split():
                    yield w, "PER"
    reg = data / "actors.json.gz"
    if reg.is_file():
        doc = json.loads(gzip.decompress(reg.read_bytes()))
        actors = doc.get("actors", doc) if isinstance(doc, dict) else doc
        for a in actors if isinstance(actors, list) else actors.values():
            typ = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}.get(str(a.get("type", "")))
            if typ is None:
                continue
            for n in a.get("ar", []) or a.get("names_ar", []) or []:
                yield n, typ


def auto_gazetteer(
    tagger_dir: Path, corpus_file: Path, *, max_tokens: int = 2_000_000, log: Log = print
) -> dict[str, list[str]]:
    """Self-training lite: tag unlabelled news with a first-pass CRF and keep, for each clitic-stripped word seen at
    least 3 times, the entity type it is tagged with in >= 30% of its occurrences ("PER:hi" when >= 70%). The
    second-pass CRF reads these as gazetteer classes ("aPER:hi"), which carries names the labelled data lacks."""
    from collections import Counter, defaultdict

    from marsad.entities.ner.consistency import _key
    from marsad.entities.ner.crf import CRFTagger
    from marsad.entities.ner.scoring import chunks

    t0 = time.time()
    tagger = CRFTagger(tagger_dir, document=False)
    total: Counter[str] = Counter()
    typed: defaultdict[str, Counter[str]] = defaultdict(Counter)
    n = 0

    def flush(batch: list[list[str]]) -> None:
        for toks, labs in zip(batch, tagger.tag(batch), strict=True):
            keys = [_key(x) for x in toks]
            total.update(keys)
            for typ, a, b in chunks(labs):
                for i in range(a, b):
                    typed[keys[i]][typ] += 1

    batch: list[list[str]] = []
    with corpus_file.open(encoding="utf-8") as fh:
        for line in fh:
            toks = line.split()[:80]
            batch.append(toks)
            n += len(toks)
            if len(batch) == 500:
                flush(batch)
                batch = []
            if n >= max_tokens:
                break
    if batch:
        flush(batch)
    out: dict[str, list[str]] = {}
    for k, c in typed.items():
        if total[k] < 3:
            continue
        typ, cnt = c.most_common(1)[0]
        r = cnt / total[k]
        if r >= 0.3:
            out[k] = ["a" + typ + (":hi" if r >= 0.7 else ":mid")]
    log(f"auto-gazetteer: {len(out):,} words from {n:,} tagged tokens in {time.time() - t0:.0f}s")
    return out


# Tuned on the dev split carved from train (see models/README.md).
DEFAULTS = {"c1": 0.05, "c2": 0.01, "iterations": 100}


def build_clusters(
    data_dir: Path, work_dir: Path, *, max_docs: int | None = None, log: Log = print
) -> dict[str, list[str]]:
    """Clusters cached in ``work_dir`` (the slow part: word2vec over ~19M tokens, a few minutes on 2 cores)."""
    import gzip
    import json

    from marsad.entities.ner.embeddings import train_clusters, write_corpus

    work_dir.mkdir(parents=True, exist_ok=True)
    tag = f"-{max_docs}" if max_docs else ""
    cache = work_dir / f"clusters{tag}.json.gz"
    if cache.is_file():
        log(f"clusters: using cache {cache}")
        with gzip.open(cache, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    corpus = work_dir / f"corpus{tag}.txt"
    if not corpus.is_file():
        write_corpus(data_dir, corpus, max_docs=max_docs, log=log)
    clusters = train_clusters(corpus, save_vectors=work_dir / "word2vec.kv", log=log)
    with gzip.open(cache, "wt", encoding="utf-8") as fh:
        json.dump(clusters, fh, ensure_ascii=False)
    return clusters


def build_model(
    *,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    work_dir: Path = Path.home() / ".cache" / "marsad" / "ner",
    dev: bool = False,
    use_clusters: bool = True,
    max_docs: int | None = None,
    c1: float | None = None,
    c2: float | None = None,
    iterations: int | None = None,
    auto_gaz: bool = True,
    anergazet: bool = False,
    log: Log = print,
) -> Path:
    """The whole recipe behind ``marsad train ner``."""
    from marsad.entities.ner import DEFAULT_CRF_MODEL
    from marsad.entities.ner.corpus import anercorp_path, read_conll, shared_data_dir, split_dev
    from marsad.entities.ner.crf import CRFTagger
    from marsad.entities.ner.scoring import score

    data_dir = data_dir or shared_data_dir()
    out_dir = out_dir or DEFAULT_CRF_MODEL
    sents = read_conll(anercorp_path("train", data_dir))
    dev_sents: list[Sentence] = []
    if dev:
        sents, dev_sents = split_dev(sents)
    log(f"ANERcorp train: {len(sents)} sentences" + (f", dev: {len(dev_sents)}" if dev else ""))
    res = Resources(gazetteer=load_gazetteer(data_dir, anergazet=anergazet))
    if use_clusters:
        res.clusters = build_clusters(data_dir, work_dir, max_docs=max_docs, log=log)
    res.meta["data"] = "ANERcorp CAMeL train" + (" minus dev" if dev else "")
    params = {
        "c1": DEFAULTS["c1"] if c1 is None else c1,
        "c2": DEFAULTS["c2"] if c2 is None else c2,
        "max_iterations": int(DEFAULTS["iterations"] if iterations is None else iterations),
    }
    corpus = work_dir / (f"corpus-{max_docs}.txt" if max_docs else "corpus.txt")
    if auto_gaz and use_clusters:
        if not corpus.is_file():
            from marsad.entities.ner.embeddings import write_corpus

            write_corpus(data_dir, corpus, max_docs=max_docs, log=log)
        first = work_dir / "first-pass"
        log("first pass (for the auto-gazetteer)")
        train_crf(sents, res, first, log=log, **params)  # type: ignore[arg-type]
        for k, v in auto_gazetteer(first, corpus, log=log).items():
            res.gazetteer[k] = sorted(set(res.gazetteer.get(k, [])) | set(v))
    model = train_crf(sents, res, out_dir, log=log, **params)  # type: ignore[arg-type]
    if dev:
        tagger = CRFTagger(out_dir)
        toks = [x.tokens for x in dev_sents]
        pred: list[list[str]] = []
        for i in range(0, len(toks), 20):  # 20-sentence pseudo-documents, as in `marsad eval ner`
            pred += tagger.tag(toks[i : i + 20])
        s = score([x.labels for x in dev_sents], pred)
        log("dev split:\n" + s.table())
    log(f"model written to {out_dir}")
    return model
