"""The actor registry: canonical identities across spellings, nisba adjectives, package size, reproducible build."""

from __future__ import annotations

import gzip
import json

import pytest

from marsad.entities.registry import REGISTRY_PATH, load_registry, name_key, token_key
from marsad.lang.ar.normalize import normalize


def lookup(s: str) -> str | None:
    return load_registry().lookup(tuple(normalize(s).split()))


@pytest.mark.parametrize(
    ("names", "actor_id"),
    [
        (["الولايات المتحدة", "أمريكا", "أميركا", "الولايات المتحدة الأمريكية"], "USA"),
        (["روسيا", "روسيا الاتحادية"], "RUS"),
        (["الصين"], "CHN"),
        (["سيرجي لافروف", "سيرغي لافروف", "لافروف"], "per:sergey-lavrov"),
        (["وانغ يي", "وانج يي"], "per:wang-yi"),
        (["الأمم المتحدة", "الامم المتحدة"], "org:un"),
        (["الاتحاد الأوروبي"], "org:eu"),
        (["حلف الناتو", "الناتو", "حلف شمال الأطلسي"], "org:nato"),
        (["جامعة الدول العربية"], "org:arab-league"),
    ],
)
def test_spelling_variants_meet(names, actor_id):
    for n in names:
        assert lookup(n) == actor_id, n


def test_capitals_are_metonyms_of_their_country():
    reg = load_registry()
    for cap, iso in (("واشنطن", "USA"), ("موسكو", "RUS"), ("لندن", "GBR"), ("بكين", "CHN")):
        actor = reg.get(lookup(cap) or "")
        assert actor is not None and actor.type == "GPE", cap
        assert actor.metonym_of == iso and actor.country == iso


def test_country_info_names_keep_their_capitals():
    """CountryInfo writes names in capitals; the registry's title case keeps an abbreviation's (a display name is
    what exports and the web UI show)."""
    from marsad.entities.registry_build import _title

    assert _title("WASHINGTON_D.C.") == "Washington D.C."
    assert _title("SAINT_JOHN'S") == "Saint John's"
    assert _title("KUALA_LUMPUR") == "Kuala Lumpur"
    reg = load_registry()
    assert reg.get("cap:USA").name == "Washington D.C."  # type: ignore[union-attr]


def test_transliteration_key_folds_variants():
    assert token_key("سيرغي") == token_key("سيرجي") == token_key("سيرجى")
    assert name_key("وانغ يي") == name_key("وانج يى")
    assert name_key("ريكس تيلرسون") == name_key("ريكس تيليرسون")
    assert name_key("لافروف") != name_key("بوتين")
    # a name not in the registry still gets one key for its spellings
    assert name_key("سيرغي سكريبال") == name_key("سيرجي سكريبال")


def test_person_key_finds_unlisted_spelling():
    reg = load_registry()
    assert reg.person_keys.get(name_key("سيرقي لافروف")) == "per:sergey-lavrov"


def test_nisba_by_rule_and_exceptions():
    nisba = load_registry().nisba
    for form, iso in (("الصيني", "CHN"), ("الصينية", "CHN"), ("الروسي", "RUS"), ("الأمريكية", "USA"),
                      ("الأميركي", "USA"), ("المصريين", "EGY"), ("البريطاني", "GBR"), ("الإيرانية", "IRN"),
                      ("الكوري الشمالي", "PRK"), ("السعودية", "SAU")):  # fmt: skip
        assert nisba.get(normalize(form)) == iso, form
    # "financial" is not Mali
    assert normalize("المالي") not in nisba


def test_adjectives_are_not_country_names():
    assert lookup("سعودي") is None
    assert lookup("الروسية") is None


def test_people_have_country_sector_and_dated_roles():
    lavrov = load_registry().get("per:sergey-lavrov")
    assert lavrov is not None
    assert (lavrov.country, lavrov.sector, lavrov.type) == ("RUS", "GOV", "PER")
    assert any(r.get("from") == "2004-03-09" for r in lavrov.roles)
    assert "Sergey Lavrov" in lavrov.en


def test_registry_is_small():
    assert REGISTRY_PATH.stat().st_size < 15 * 1024 * 1024


def test_build_reproduces_shipped_registry(shared, tmp_path):
    from marsad.entities import registry_build

    reg = registry_build.build(shared)
    out = registry_build.write(reg, tmp_path / "actors.json.gz")
    with gzip.open(REGISTRY_PATH, "rt", encoding="utf-8") as f:
        shipped = json.load(f)
    assert reg["built_with"] == shipped.get("built_with"), "rebuild under the babel that built the shipped registry"
    assert {a["id"] for a in reg["actors"]} == {a["id"] for a in shipped["actors"]}
    assert out.read_bytes() == REGISTRY_PATH.read_bytes()
    assert reg["counts"]["countries"] >= 240 and reg["counts"]["curated_people"] >= 150


def test_cli_builds_registry(shared, tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    out = tmp_path / "reg.json.gz"
    res = CliRunner().invoke(main, ["train", "registry", "--shared", str(shared), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.exists() and "actors" in res.output
    bad = CliRunner().invoke(main, ["train", "registry", "--shared", str(tmp_path), "--out", str(out)])
    assert bad.exit_code != 0 and "Traceback" not in bad.output


def test_offices_on_the_publication_date():
    from marsad.data import Article
    from marsad.entities.stage import build_stage
    from marsad.lang.ar.sentences import split_sentences

    text = "التقى مايك بومبيو بالرئيس ترامب."
    for date, office in (("2017-06-01", "CIA director"), ("2019-06-01", "secretary of state")):
        art = (
            Article.new(text, published=date)
            .evolve(published=date)
            .with_layers(sentences=split_sentences(text))
        )
        out = build_stage(use_ner=False)(art)
        pompeo = next(e for e in out.entities if e.actor_id == "per:mike-pompeo")
        assert pompeo.attrs["offices"] == [office]


# Characters a name never holds: markup, notes and sentence punctuation leaking out of a source file
_NOT_IN_NAMES = set(":<>#=/;|?!\"[]{}*\ufffd")
# The alphabet normalised Arabic text is written in: folded letters (no أ إ آ ى ة ؤ ئ, no harakat or tatweel)
_NORMALISED_AR = set("ءابتثجحخدذرزسشصضطظعغفقكلمنهوي")


def _alias_problems(actors: list[dict]) -> list[str]:
    bad = []
    for a in actors:
        for field in ("ar", "en"):
            for v in a.get(field) or ():
                if set(v) & _NOT_IN_NAMES or len(v.split()) > 8 or not v[:1].isalnum():
                    bad.append(f"{a['id']} {field}: {v!r}")
    return bad


def test_shipped_aliases_are_names():
    with gzip.open(REGISTRY_PATH, "rt", encoding="utf-8") as f:
        actors = json.load(f)["actors"]
    assert _alias_problems(actors) == []
    anguilla = next(a for a in actors if a["id"] == "AIA")
    assert all("country" not in v.lower() for v in anguilla["en"]), anguilla["en"]


def test_built_aliases_are_names(shared):
    """CountryInfo opens with a documentation block naming its tags; parsed as a country it gave Anguilla lines such
    as '<capital>: One Or More Names For The Capital City' as names."""
    from marsad.entities import registry_build

    reg = registry_build.build(shared)
    assert _alias_problems(reg["actors"]) == []


def test_registry_keys_are_in_the_normalised_alphabet():
    reg = load_registry()
    bad = []
    for toks in reg.aliases:
        for t in toks:
            if normalize(t) != t or (
                any("\u0600" <= c <= "\u06ff" for c in t) and not set(t) <= _NORMALISED_AR | set("0123456789-'")
            ):
                bad.append(toks)
    for k in list(reg.nisba) + list(reg.nisba_names) + list(reg.common):
        if normalize(k) != k:
            bad.append((k,))
    assert bad == []


def test_resources_ministry_is_read_from_the_next_word():
    from marsad.data import Article
    from marsad.stages import default_pipeline

    pipe = default_pipeline(upto="entities")
    art = pipe.process(Article.new("أعلنت وزارة الموارد البشرية السعودية عن برنامج جديد للتوظيف."))
    names = [e.name for e in art.entities]
    assert "Ministry of Human Resources of Saudi Arabia" in names
    assert not any("Water" in n for n in names)


def test_entity_is_country_agrees_with_its_actor():
    """``Entity.is_country`` is ``Actor.is_country`` for an entity linked to that actor; a capital, a city, a
    person of the country and an entity with neither actor nor country are no state."""
    from marsad.data import Entity

    reg = load_registry()

    def linked(s: str) -> Entity:
        a = reg.get(lookup(s) or "")
        assert a is not None, s
        return Entity("e1", a.type, a.name, (), actor_id=a.id, country=a.country)

    for s in ("روسيا", "الصين", "موسكو", "سيرجي لافروف", "الأمم المتحدة"):
        ent, actor = linked(s), reg.get(lookup(s) or "")
        assert actor is not None and ent.is_country == actor.is_country, s
    assert linked("روسيا").is_country and not linked("موسكو").is_country
    assert not Entity("e2", "GPE", "x", (), actor_id=None, country=None).is_country
    assert not Entity("e3", "GPE", "x", (), actor_id="~x", country="RUS").is_country
