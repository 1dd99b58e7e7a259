"""Role phrases: spans attached to people, with country from nisba adjectives and sector from the head word."""

from __future__ import annotations

from pathlib import Path

from marsad.data import Article
from marsad.entities.registry import load_registry
from marsad.entities.stage import _role_run, _Unit, build_stage
from marsad.lang.ar.sentences import split_sentences
from marsad.lang.ar.tokenize import tokenize


def run(text: str) -> Article:
    art = Article.new(text).with_layers(body=[], sentences=split_sentences(text))
    out = build_stage(use_ner=False)(art)
    assert isinstance(out, Article)
    return out


def ent(article: Article, name: str):
    return next(e for e in article.entities if e.name == name)


def test_title_before_name_gives_role_span_country_and_sector():
    text = 'وقال عضو مجلس الدولة وزير الخارجية الصيني "وانغ يي" إن العلاقات جيدة.'
    art = run(text)
    wang = ent(art, "Wang Yi")
    assert [text[r.start : r.end] for r in wang.roles] == ["عضو مجلس الدولة وزير الخارجية الصيني"]
    role = wang.roles[0]
    assert role.attrs["country"] == "CHN" and role.attrs["sector"] == "GOV"
    assert art.layer("roles") == wang.roles


def test_role_gives_country_to_unknown_person():
    text = "وقال وزير الدفاع البريطاني جافين وليامسون إن بلاده سترد."
    art = Article.new(text).with_layers(body=[], sentences=split_sentences(text))
    # without NER the name is unknown: role detection works on any PER mention, so check the run directly
    toks = tokenize(text)
    unit = _Unit(0, len(text), toks, [t.norm for t in toks], "sent")
    k = next(i for i, t in enumerate(toks) if t.text == "جافين")
    span = _role_run(load_registry(), unit, k - 1, -1)
    assert span is not None and text[span.start : span.end] == "وزير الدفاع البريطاني"
    assert span.attrs["country"] == "GBR" and span.attrs["sector"] == "GOV"
    assert art.text == text


def test_apposition_after_name_and_military_head():
    text = "التقى بوتين، الرئيس الروسي، مع قائد الجيش الإسرائيلي."
    art = run(text)
    putin = ent(art, "Vladimir Putin")
    assert [text[r.start : r.end] for r in putin.roles] == ["الرئيس الروسي"]
    toks = tokenize(text)
    unit = _Unit(0, len(text), toks, [t.norm for t in toks], "sent")
    k = next(i for i, t in enumerate(toks) if t.text == "قائد")
    span = _role_run(load_registry(), unit, k, 1)
    assert span is not None and span.attrs["sector"] == "MIL"


def test_nisba_rule_feminine_and_plural():
    reg = load_registry()
    assert reg.nisba["الصينيه"] == "CHN" and reg.nisba["الروس"] if "الروس" in reg.nisba else True
    assert reg.nisba["الامريكيون"] == "USA"


def _wojood_occ(path: Path):
    toks: list[str] = []
    tags: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            parts = line.split()
            toks.append(parts[0])
            tags.append(parts[1:])
            continue
        if toks:
            text = " ".join(toks)
            offs, p = [], 0
            for t in toks:
                offs.append(p)
                p += len(t) + 1
            i = 0
            while i < len(toks):
                if "B-OCC" in tags[i]:
                    j = i + 1
                    while j < len(toks) and "I-OCC" in tags[j]:
                        j += 1
                    yield text, offs[i], offs[j - 1] + len(toks[j - 1])
                    i = j
                else:
                    i += 1
        toks, tags = [], []


def test_wojood_occ_spans_start_with_a_role_head(shared):
    """Wojood's OCC spans are a small outside check: most occupation phrases must be found from their first word."""
    reg = load_registry()
    n = hit = 0
    for split in ("train", "val", "test"):
        for text, s, _e in _wojood_occ(shared / "data" / "wojood-sample" / f"{split}.txt"):
            toks = tokenize(text)
            unit = _Unit(0, len(text), toks, [t.norm for t in toks], "sent")
            k = next((q for q, t in enumerate(toks) if t.start == s), None)
            if k is None:
                continue
            n += 1
            span = _role_run(reg, unit, k, 1)
            hit += bool(span and span.start == s)
    assert n > 200
    assert hit / n >= 0.75, f"{hit}/{n} OCC spans found"
