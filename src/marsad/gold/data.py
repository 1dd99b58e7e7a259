"""Gold files: one JSON object per article (``id``, ``text``, ``input_meta``, ``entities``, ``quotes``, ``events``)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.data import Article
from marsad.errors import InputError


@dataclass(frozen=True)
class GoldDoc:
    id: str
    raw: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.raw["text"])

    def input_article(self) -> Article:
        """The article a system is given: the text and what a crawler would know (as ``gold_inputs.py`` does)."""
        meta = dict(self.raw.get("input_meta") or {})
        return Article.new(
            self.text,
            id=self.id,
            source=str(meta.get("source") or ""),
            url=meta.get("url"),
            title=meta.get("title"),
            published=meta.get("published"),
        )


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Every ``*.json`` gold file of a folder, sorted by file name (a stable order for folds)."""
    p = Path(path)
    if not p.is_dir():
        raise InputError(f"{p} is not a folder of gold JSON files", code="E_GOLD")
    docs = []
    for f in sorted(p.glob("*.json")):
        try:
            raw = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise InputError(f"{f}: not a readable gold JSON file ({e})", code="E_GOLD") from e
        if not isinstance(raw, dict) or "text" not in raw:
            raise InputError(f"{f}: a gold file needs at least 'text'", code="E_GOLD")
        docs.append(GoldDoc(str(raw.get("id") or f.stem), raw))
    if not docs:
        raise InputError(f"{p} holds no *.json gold files", code="E_GOLD")
    return docs


@dataclass(frozen=True)
class GoldKeys:
    """What identifies the gold articles of every split in a corpus record: ids, their ANT docnos, urls."""

    ids: frozenset[str]
    docnos: frozenset[str]
    urls: frozenset[str]

    def holds(self, rec: Mapping[str, Any]) -> bool:
        """True when the corpus record ``rec`` (``docno`` and/or ``url``) is one of the gold articles."""
        if rec.get("url") in self.urls:
            return True
        docno = rec.get("docno")
        return docno is not None and (str(docno) in self.docnos or any(i.endswith(str(docno)) for i in self.ids))


def gold_keys(gold_root: str | Path) -> GoldKeys:
    """The keys of every gold article under ``gold_root`` (its split folders of ``*.json``)."""
    ids, urls = set(), set()
    for p in Path(gold_root).glob("*/*.json"):
        g = json.loads(p.read_text(encoding="utf-8"))
        ids.add(str(g["id"]))
        url = (g.get("input_meta") or {}).get("url")
        if url:
            urls.add(url)
    docnos = {i.split("-", 2)[-1] if i.startswith(("tr-ant-", "dev-ant-")) else i for i in ids}
    return GoldKeys(frozenset(ids), frozenset(docnos), frozenset(urls))


def non_gold_records(corpus: str | Path, gold_root: str | Path) -> Iterator[dict[str, Any]]:
    """The records of an unlabelled JSONL(.gz) corpus (``docno``, ``url``, ``text`` …) that are not gold articles
    of any split under ``gold_root``, in corpus order: where a phrase is counted to decide whether it is ordinary
    vocabulary (the tests of the lexicons, the scripts that list or mine names), the evaluation articles must not
    count."""
    keys = gold_keys(gold_root)
    path = Path(corpus)
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")) as fh:
        for line in fh:
            rec = json.loads(line)
            if not keys.holds(rec):
                yield rec
