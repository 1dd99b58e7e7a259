"""Organisation names mined from unlabelled news (issue 15): the miner keeps a name that many articles write after a
head of one kind and drops words, and the entity stage finds the mined names bare. Articles are made up here."""

from __future__ import annotations

import gzip
import json

import pytest

from marsad.data import Article
from marsad.entities.org_mining import mine
from marsad.entities.stage import build_stage
from marsad.lang.ar.sentences import split_sentences


def test_miner_keeps_names_after_a_head_and_drops_words(tmp_path):
    unl = tmp_path / "unlabelled"
    unl.mkdir()
    arts = []
    for i in range(8):
        arts.append(f"وأعلنت شركة زاركوفا عن أرباح جديدة في الربع {i}. وقالت زاركوفا إن المبيعات زادت.")
        # a common word after the head is no name, however often it is written there
        arts.append(f"وأعلنت شركة الطيران عن رحلات جديدة {i}. وقالت شركة كبيرة إن الطيران زاد.")
        # a name written after heads of many kinds is no one kind of organisation
        arts.append(f"وذكرت صحيفة مورافيل {i} ما نشره نادي مورافيل وحزب مورافيل وشركة مورافيل.")
    with gzip.open(unl / "ant-all-2018.jsonl.gz", "wt", encoding="utf-8") as fh:
        for a in arts:
            fh.write(json.dumps({"text": a}, ensure_ascii=False) + "\n")
    rows = {name: sector for name, sector, _ in mine(unl, log=lambda *_: None)}
    assert rows.get("زاركوفا") == "BUS"
    assert "كبيره" not in rows and "الطيران" not in rows
    assert "مورافيل" not in rows


@pytest.fixture(scope="module")
def stage():
    return build_stage(use_ner=False)


def found(stage, text: str) -> dict[str, tuple[str, str | None]]:
    art = stage(Article.new(text).with_layers(sentences=split_sentences(text)))
    return {text[m.start : m.end]: (e.type, e.sector) for e in art.entities for m in e.mentions}


def test_mined_names_are_organisations_bare_and_with_a_clitic(stage):
    ents = found(stage, "وقالت فولكسفاغن إن مبيعاتها زادت، بحسب ما نقلته وكالة دوغان عن مسؤولين.")
    assert ents.get("فولكسفاغن") == ("ORG", "BUS")
    assert ents.get("دوغان", ("",))[0] == "ORG"


def test_tagged_name_run_into_its_description_is_cut(stage):
    from marsad.data import Article as A
    from marsad.entities.common import article_units

    text = "ووقعت الحكومة صفقة مع توتال النفطية أمس."
    unit = article_units(A.new(text).with_layers(sentences=split_sentences(text)))[0]
    toks = [t.text for t in unit.tokens]
    i = toks.index("توتال")
    m = stage._ner_mention(0, unit, i, i + 2, "ORG")
    (out,) = [m] if m else []
    assert stage._mined_orgs(0, unit, [out]) == []
    assert (out.tok0, out.tok1, out.type) == (i, i + 1, "ORG")


def test_miner_leaves_the_gold_articles_out_of_its_counts(tmp_path):
    """A name the news writes after a head only in evaluation articles is not mined: gold texts must not decide
    the lexicon (the gold articles are part of the unlabelled corpus)."""
    unl, gold = tmp_path / "unlabelled", tmp_path / "gold" / "train"
    unl.mkdir()
    gold.mkdir(parents=True)
    recs = []
    for i in range(8):
        recs.append({"docno": f"X-{i}", "url": f"http://example.com/{i}",
                     "text": f"وأعلنت شركة زاركوفا عن أرباح جديدة في الربع {i}. وقالت زاركوفا إن المبيعات زادت."})
    for i, rec in enumerate(recs[:5]):  # five of the eight are gold articles (by docno, and by url)
        meta = {"url": rec["url"]} if i % 2 else {}
        (gold / f"g{i}.json").write_text(json.dumps({"id": f"tr-ant-{rec['docno']}", "text": rec["text"],
                                                     "input_meta": meta}), encoding="utf-8")
    with gzip.open(unl / "ant-all-2018.jsonl.gz", "wt", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    assert "زاركوفا" in {n for n, _, _ in mine(unl, log=lambda *_: None)}
    assert "زاركوفا" not in {n for n, _, _ in mine(unl, gold_root=tmp_path / "gold", log=lambda *_: None)}
