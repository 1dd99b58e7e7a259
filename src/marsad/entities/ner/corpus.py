"""Reading labelled NER corpora (CoNLL-style "token TAG" lines) into our label set.

Labels are BIO over PER, ORG, LOC, MISC. ANERcorp writes PERS; AQMAR has article-specific MIS0..MIS3 subtypes and
a handful of typos (MIS-1, MISS1, IO, ENGLISH, ...), all of which we fold into MISC or O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from marsad.errors import InputError

TYPES = ("PER", "ORG", "LOC", "MISC")
LABELS = ("O",) + tuple(f"{p}-{t}" for t in TYPES for p in "BI")

_TYPE_MAP = {"PER": "PER", "PERS": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "MISC": "MISC"}
_MIS_RE = re.compile(r"^MISS?[-_]?\d?`?$")


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    labels: tuple[str, ...]


def map_label(tag: str) -> str:
    """Map a corpus tag to our BIO label; anything unknown becomes O."""
    tag = tag.strip()
    if tag in ("O", "") or "-" not in tag:
        return "O"
    prefix, _, typ = tag.partition("-")
    if prefix not in ("B", "I"):
        return "O"
    typ = typ.upper()
    mapped = _TYPE_MAP.get(typ)
    if mapped is None and _MIS_RE.match(typ):
        mapped = "MISC"
    return f"{prefix}-{mapped}" if mapped else "O"


def read_conll(path: Path | str) -> list[Sentence]:
    """Sentences of a "token TAG" file (blank line = sentence break). Malformed lines are skipped (AQMAR has a few
    multi-column lines that are not token rows)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"NER data file not found: {p}")
    out: list[Sentence] = []
    toks: list[str] = []
    labs: list[str] = []
    with p.open(encoding="utf-8-sig") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if toks:
                    out.append(Sentence(tuple(toks), tuple(labs)))
                    toks, labs = [], []
                continue
            if len(parts) != 2:
                continue
            toks.append(parts[0])
            labs.append(map_label(parts[1]))
    if toks:
        out.append(Sentence(tuple(toks), tuple(labs)))
    return out


def read_many(paths: Iterable[Path | str]) -> list[Sentence]:
    out: list[Sentence] = []
    for p in paths:
        out.extend(read_conll(p))
    return out


def repair_bio(labels: Iterable[str]) -> list[str]:
    """Make a label sequence well-formed IOB2: an I-X that does not continue an X entity starts one (B-X), which is
    also how conlleval reads it."""
    out: list[str] = []
    prev = "O"
    for lab in labels:
        if lab.startswith("I-") and prev[2:] != lab[2:]:
            lab = "B-" + lab[2:]
        out.append(lab)
        prev = lab
    return out


def shared_data_dir() -> Path:
    """The shared data folder: $MARSAD_SHARED/data, else ../shared/data next to the repository or cwd."""
    import os

    env = os.environ.get("MARSAD_SHARED")
    cands = [Path(env) / "data"] if env else []
    here = Path(__file__).resolve()
    cands += [parent.parent / "shared" / "data" for parent in here.parents]
    cands += [Path.cwd().parent / "shared" / "data", Path("/work/shared/data")]
    for c in cands:
        if (c / "anercorp-camel").is_dir():
            return c
    raise InputError(
        "shared data folder not found (set MARSAD_SHARED to the folder that holds data/anercorp-camel)"
    )


def anercorp_path(split: str, data_dir: Path | None = None) -> Path:
    d = (data_dir or shared_data_dir()) / "anercorp-camel"
    name = {"train": "ANERCorp_CamelLab_train.txt", "test": "ANERCorp_CamelLab_test.txt"}[split]
    return d / name


def aqmar_paths(data_dir: Path | None = None) -> list[Path]:
    d = (data_dir or shared_data_dir()) / "aqmar"
    return sorted(p for p in d.glob("*.txt") if p.name != "README.txt")


def split_dev(sents: list[Sentence], *, fraction: float = 0.1) -> tuple[list[Sentence], list[Sentence]]:
    """Carve a dev split from train: its last ``fraction`` of sentences, contiguous. Contiguous blocks keep whole
    articles out of training, so dev has as many unseen names as the test split (about a third of entity tokens);
    interleaved sentences would flatter the model."""
    cut = int(len(sents) * (1 - fraction))
    return sents[:cut], sents[cut:]


def iter_tokens(sents: Iterable[Sentence]) -> Iterator[str]:
    for s in sents:
        yield from s.tokens
