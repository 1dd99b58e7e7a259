"""The one PLOVER table (marsad.events.plover) against the manual's lists."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from marsad.events import plover


def test_sixteen_current_categories_with_manual_quads() -> None:
    assert len(plover.CATEGORIES) == 16
    assert {c for c in plover.CATEGORIES if plover.quad(c) == 1} == {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"}
    assert {c for c in plover.CATEGORIES if plover.quad(c) == 2} == {"COOPERATE", "AID", "RETREAT"}
    assert {c for c in plover.CATEGORIES if plover.quad(c) == 3} == {"REQUEST", "ACCUSE", "REJECT", "THREATEN"}
    assert plover.quad("SANCTION") == 4  # the category's own section: MATERIAL CONFLICT


def test_event_scale_is_the_manuals_not_goldstein() -> None:
    assert plover.scale("SANCTION") == -6.0
    assert plover.scale("AID") == 10.0
    assert plover.scale("CONSULT", "phone") == 1.5
    assert plover.scale("ASSAULT", "aerial") == -9.5
    assert plover.scale("ASSAULT", "kill") == -9.0  # an unknown mode falls back to the category score


def test_fold_old_names() -> None:
    assert plover.fold("DISAPPROVE").category == "ACCUSE"
    assert plover.fold("disapprove", "allege") == plover.Folded("ACCUSE", "allege", "112")
    assert plover.fold("INVESTIGATE").mode == "investigate"
    assert plover.fold("DEMAND").category == "REQUEST"
    f = plover.fold("FIGHT", "airstrike")
    assert (f.category, f.mode, f.cameo) == ("ASSAULT", "aerial", "195")
    assert plover.fold("CRIME").contexts == ("crime",)
    assert plover.category("fight").name == "ASSAULT"
    with pytest.raises(plover.UnknownCategory):
        plover.category("PRAISE")


def test_modes_from_manual_lists() -> None:
    assert plover.valid_mode("ASSAULT", "aerial")
    assert not plover.valid_mode("ASSAULT", "airstrike")
    assert not plover.valid_mode("CONSULT", "meeting")
    assert plover.valid_mode("CONSULT", None)
    assert plover.fold("CONSULT", "meeting").mode is None
    for cat in plover.CATEGORIES:
        for old_mode in plover.table()["mode_fold"].get(cat, {}):
            assert plover.valid_mode(cat, plover.fold(cat, old_mode).mode)


def test_cameo_code_and_goldstein_agree() -> None:
    assert plover.cameo("CONSULT", "visit") == "042"
    assert plover.goldstein("042") == 1.9
    assert plover.cameo("SANCTION", "sanctions") == "163"
    assert plover.goldstein("163") == -8.0
    for cat in plover.CATEGORIES:
        code = plover.cameo(cat)
        root = plover.cameo_root(cat)
        assert code.startswith(root), (cat, code)
        assert isinstance(plover.goldstein(code), float)


def test_contexts_and_labels() -> None:
    assert "crime" in plover.contexts() and "military" in plover.contexts()
    assert plover.valid_context("future") and not plover.valid_context("meeting")
    assert all(plover.label_ar(c) for c in plover.CATEGORIES)


def _manual() -> Path | None:
    base = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    p = base / "data/plover/PLOVER_MANUAL.tex"
    return p if p.exists() else None


def test_modes_and_contexts_match_the_manual_tex() -> None:
    """Re-read the mode tables and the context table from the manual: the shipped lists must be the manual's."""
    tex = _manual()
    if tex is None:
        pytest.skip("PLOVER manual not found (set MARSAD_SHARED)")
    text = tex.read_text(encoding="utf-8")
    body = text.split(r"\chapter{Event Categories}")[1].split(r"\chapter{Contexts}")[0]
    for sec in re.split(r"\\section\{", body)[1:]:
        name = sec.split("}")[0]
        found = set()
        for m in re.finditer(r"^([a-z][a-z-]*) & ", sec, re.M):
            found.add(m.group(1))
        found.discard("name")
        assert found == set(plover.modes(name)), name
    ctx = text.split(r"\label{tab:general-contexts}")[1].split(r"\end{longtable}")[0]
    names = {
        m.group(1).replace(r"\_", "_")
        for m in re.finditer(r"^(?:\\hyperref\[[^\]]*\]\{)?([a-z\\_]+)\}? *& ", ctx, re.M)
    }
    names.discard("name")
    assert names == set(plover.contexts())
