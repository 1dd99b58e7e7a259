"""Build the actor registry (``marsad/entities/data/actors.json.gz``) from ../shared/data, CLDR and our own tables.

Run it with ``marsad train registry`` (or ``python scripts/build_registry.py``). Sources, in order of trust:

1. ``entities/data/curated/*.tsv`` — marsad's own hand-written Arabic names (people, organisations, regions,
   country aliases and nisba stems). Arabic names of people are in no open source, so this is where they come from.
2. ``lexicons/countries_ar.tsv`` — CLDR (babel), iso-codes, world-countries and countrynames Arabic country names,
   and Arabic capital names.
3. ``babel`` — CLDR Arabic territory names and time-zone exemplar cities (with ``zone.tab`` for their country).
4. ``countryinfo``, ``ngec/countries.csv`` — English country names, nationality adjectives and capitals.
5. ``petrarch2-dicts/Phoenix.Countries.actors.txt`` and ``Phoenix.International.actors.txt`` — English aliases and
   CAMEO role codes with date ranges for the people and organisations we know in Arabic.
6. ``lexicons/cldr_ar_region_names.tsv`` — CLDR Arabic names of world regions.

Only names and codes are kept (never running text), and the output is a few hundred kB gzipped.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from marsad.lang.ar.normalize import normalize

DATA_DIR = Path(__file__).parent / "data"
CURATED_DIR = DATA_DIR / "curated"
REGISTRY_PATH = DATA_DIR / "actors.json.gz"

# Country names that are also common words in news prose ("الدعم المالي" is not Mali); they are kept only in
# their unambiguous long forms.
AMBIGUOUS_NAMES = {"مالي", "بنين", "عمان", "جيرسي", "الاتحاد", "سيول", "صوفيا"}  # سيول: floods; صوفيا: a given name
# City names from CLDR that are common words or clash with people's names.
AMBIGUOUS_CITIES = {
    "مشهد", "جنين", "مارب", "الاقصر", "صور", "الامل", "الخليل", "الجزاير", "الكويت", "جيبوتي", "بنما", "سنغافوره",
    "المكسيك", "موناكو", "البحرين", "تونس", "الشارقه", "غزه", "ماي", "كامل", "هوبارت", "سانتو", "دومينيكا",
    "لاباز", "الرياض", "الفاشر", "مدريد", "دمشق", "ترك",  # ترك: "left" (Chuuk in newer CLDR data)
}  # fmt: skip
# The curated regions table already carries these with better ids; CLDR exemplar cities that duplicate a country
# name (الكويت, البحرين, سنغافورة ...) are left to the country entry.
_PERSIAN = re.compile(r"[پچژگڭۆۇۈۋێ]|ستون$")


# What a name may hold: letters (any script), marks, digits, and the joiners names use (space, - ' ’ . ( ) & ,).
# Anything else (':' '<' '#' '=' '/' …) is text that leaked out of a source's markup, not a name.
_NAME_OK = re.compile(r"^[^\W_][\w\u064B-\u065F\u0670\u0640 \-'’.()&,+]*$")
_ARABIC = re.compile(r"[\u0621-\u064A]")
# Latin letters in an Arabic name
_LATIN = re.compile(r"[A-Za-z]")
# one normalised Arabic letter, mark-free (normalize folds ک ی أ … into these), or punctuation / digits
_STANDARD_AR = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u060C\u061B\u061F\u0660-\u0669]$")


def is_name(s: str, *, arabic: bool) -> bool:
    """Whether ``s`` can be a name: one to eight words of letters and name joiners (no markup, no sentence);
    Arabic names are in Arabic letters."""
    if not s or len(s.split()) > 8 or not _NAME_OK.match(s):
        return False
    if arabic:  # Arabic letters, or a Latin name as Arabic news prints it (CNN), never both
        if any("\u0600" <= c <= "\u06ff" and not _STANDARD_AR.match(normalize(c).strip("0123456789") or "ا")
               for c in s):
            return False  # letters of other alphabets in Arabic script (Pashto ګ ډ): not how Arabic writes it
        return bool(_ARABIC.search(s)) != bool(_LATIN.search(s))
    return not _ARABIC.search(s)


def _split(s: str) -> list[str]:
    return [x.strip() for x in (s or "").split("|") if x.strip()]


def _tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def _title(s: str) -> str:
    """CountryInfo's upper-case names in title case, keeping an abbreviation's capitals (WASHINGTON_D.C. →
    Washington D.C., not D.c.)."""
    words = (w.capitalize() for w in s.replace("_", " ").split())
    return _TITLE_KEEP.sub(lambda m: m.group(0).upper(), " ".join(words))


_TITLE_KEEP = re.compile(r"(?<=\.)[a-z]")


def nisba_stems(name_ar: str) -> list[str]:
    """Masculine nisba stem(s) of an Arabic country name by rule: drop ال, a final ا / ة / يا, add ي.

    روسيا → روسي, الصين → صيني, مصر → مصري, السعودية → سعودي, ألمانيا → ألماني. Multi-word names have no rule
    form (كوريا الشمالية → exceptions table)."""
    n = name_ar.strip()
    if " " in n:
        return []
    if n.startswith("ال"):
        n = n[2:]
    if n.endswith("ة"):
        n = n[:-1]
    elif n.endswith("يا") or (n.endswith("ا") and len(n) > 3):
        n = n[:-1]
    if len(n) < 2:
        return []
    return [n if n.endswith("ي") else n + "ي"]


class _Builder:
    rejected: list[tuple[str, str, str]] = []  # (actor id, field, value) of the last build's refused names

    def __init__(self) -> None:
        _Builder.rejected = []
        self.entries: dict[str, dict[str, Any]] = {}

    def get(self, id_: str, **defaults: Any) -> dict[str, Any]:
        e = self.entries.get(id_)
        if e is None:
            e = {"id": id_, "name": "", "type": "", "country": None, "sector": None, "ar": [], "en": [],
                 "roles": [], "src": []}  # fmt: skip
            self.entries[id_] = e
        for k, v in defaults.items():
            if v and not e.get(k):
                e[k] = v
        return e

    @staticmethod
    def add(e: dict[str, Any], key: str, values: list[str]) -> None:
        lst = e.setdefault(key, [])
        if key == "ar":
            # "الكونغو، جمهورية الكونغو الديمقراطية": two names in one cell; "المجر (هنغاريا)", "هونغ كونغ الصينية
            # (منطقة إدارية خاصة)": a parenthesis is a note or a second name, never part of the name
            values = [re.sub(r"\s*\([^()]*\)", "", p) for v in values for p in v.split("،")]
        for v in values:
            # ZWNJ between words (جبل‌الطارق, Persian style) is a space; direction marks are nothing
            v = " ".join(v.replace("\u200c", " ").replace("\u200e", "").replace("\u200f", "").split())
            if key in ("ar", "en") and v and not is_name(v, arabic=key == "ar"):
                # bulk sources leak markup and notes (CountryInfo's documentation lines): never names
                _Builder.rejected.append((e["id"], key, v))
                continue
            if v and v not in lst:
                lst.append(v)

    @staticmethod
    def source(e: dict[str, Any], src: str) -> None:
        if src not in e["src"]:
            e["src"].append(src)


def build(shared: Path) -> dict[str, Any]:
    """The registry as a dict (``{"version", "sources", "actors": [...]}``)."""
    b = _Builder()
    data = shared / "data" if (shared / "data").is_dir() else shared
    counts: dict[str, int] = defaultdict(int)

    # -- countries: CLDR / iso-codes / world-countries names and capitals ---------------------------------------
    capitals: dict[str, str] = {}
    with open(data / "lexicons" / "countries_ar.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            iso3 = row["iso3"]
            e = b.get(iso3, name=row["name_en"], type="GPE", country=iso3)
            names = [row["ar_cldr_babel"], row["ar_isocodes_pycountry"], row["ar_world_countries"]]
            variants = [
                v
                for v in _split(row["ar_variants_countrynames_arabic_only"])
                if not _PERSIAN.search(v) and len(normalize(v)) >= 4
            ]
            # countrynames mixes in a few nisba adjectives (سعودي, أفغاني): an adjective is not a name of the country
            adjectives = {normalize(x) for n in names[:1] if n for x in nisba_stems(n)}
            variants = [v for v in variants if normalize(v) not in adjectives]
            b.add(e, "ar", [n for n in names + variants if n])
            b.add(e, "en", [row["name_en"]])
            b.source(e, "countries_ar.tsv")
            if row["capital_ar_world_countries"]:
                capitals[iso3] = row["capital_ar_world_countries"]
            counts["countries"] += 1
    try:
        import babel

        loc = babel.Locale("ar")
        iso2to3 = {}
        with open(data / "lexicons" / "countries_ar.tsv", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                iso2to3[row["iso2"]] = row["iso3"]
        for code, name in loc.territories.items():
            if code in iso2to3 and iso2to3[code] in b.entries:
                b.add(b.entries[iso2to3[code]], "ar", [name])
                en = babel.Locale("en").territories.get(code)
                if en:  # CLDR's short English name (Russia, not Russian Federation)
                    b.entries[iso2to3[code]]["name"] = en
    except ImportError:  # babel is a core dependency; without it the TSV (also CLDR) is enough
        loc = None
        iso2to3 = {}

    # -- curated country aliases and nisba stems ---------------------------------------------------------------
    for cells in _tsv(CURATED_DIR / "countries.tsv"):
        iso3, aliases, nisba = (cells + ["", ""])[:3]
        e = b.get(iso3, type="GPE", country=iso3)
        b.add(e, "ar", _split(aliases))
        b.add(e, "nisba", _split(nisba))
        b.source(e, "curated")

    # -- English names, nationalities and capitals from CountryInfo and NGEC ----------------------------------
    ci_capitals: dict[str, str] = {}
    text = (data / "countryinfo" / "CountryInfo.120116.txt").read_bytes().decode("utf-8", "replace")
    # the file opens with a <!-- … --> documentation block that names the tags (<Country>: wrapper …): without it
    # removed, the first "country" ran from that block into Anguilla and gave it the documentation lines as names
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    for block in re.findall(r"<Country>(.*?)</Country>", text, re.S):
        m = re.search(r"<CountryCode>(\w+)</CountryCode>", block)
        if not m or m.group(1) not in b.entries:
            continue
        e = b.entries[m.group(1)]
        for tag in ("Nationality", "Capital"):
            mm = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.S)
            if mm:
                words = [
                    _title(w.split("#")[0])
                    for w in mm.group(1).split("\n")
                    if w.strip() and w.strip()[0] != "#"
                ]
                words = [w for w in words if w]
                if tag == "Capital" and words:
                    ci_capitals[m.group(1)] = words[0]
                else:
                    b.add(e, "en", words[:6])
        b.source(e, "countryinfo")
    with open(data / "ngec" / "countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ng = b.entries.get(row["CCA3"])
            if ng:
                e = ng
                b.add(e, "en", [w.strip() for w in row["Nationality"].split(",") if w.strip()][:4])
                b.source(e, "ngec")

    # -- capitals: GPE entries of their own, marked as government metonyms of their country ----------------------
    for iso3, cap in capitals.items():
        if normalize(cap) in AMBIGUOUS_CITIES or normalize(cap) in {
            normalize(a) for a in b.entries[iso3]["ar"]
        }:
            # a capital spelled like its country (الكويت, سنغافورة) is the country entry
            if normalize(cap) not in {normalize(a) for a in b.entries[iso3]["ar"]}:
                pass
            else:
                continue
        e = b.get(f"cap:{iso3}", name=ci_capitals.get(iso3, "") or f"capital of {b.entries[iso3]['name']}",
                  type="GPE", country=iso3)  # fmt: skip
        e["metonym_of"] = iso3
        b.add(e, "ar", [cap])
        b.source(e, "countries_ar.tsv")
        counts["capitals"] += 1

    # -- CLDR exemplar cities (time-zone names) with zone.tab for the country -----------------------------------
    zone_country: dict[str, str] = {}
    zone_tabs = [Path("/usr/share/zoneinfo/zone.tab")]
    try:  # the tzdata wheel carries the same table where the system has none (Windows, slim images)
        import tzdata

        zone_tabs.insert(0, Path(tzdata.__file__).parent / "zoneinfo" / "zone.tab")
    except ImportError:
        pass
    for zt in zone_tabs:
        if zt.exists() and not zone_country:
            for line in zt.read_text().splitlines():
                if line and not line.startswith("#"):
                    parts = line.split("\t")
                    zone_country[parts[2]] = parts[0]
    if loc is not None:
        known = {normalize(a) for e in b.entries.values() for a in e["ar"]}
        for tz, d in loc.time_zones.items():
            city = d.get("city") if hasattr(d, "get") else None
            iso3 = iso2to3.get(zone_country.get(tz, ""), "")
            if not city or not iso3 or tz.startswith("Etc/"):
                continue
            n = normalize(city)
            if n in known or n in AMBIGUOUS_CITIES or len(n) < 3:
                continue
            eng = tz.split("/")[-1].replace("_", " ")
            e = b.get(f"city:{eng.lower().replace(' ', '-')}", name=eng, type="GPE", country=iso3)
            b.add(e, "ar", [city])
            b.source(e, "cldr-exemplar-city")
            known.add(n)
            counts["cities"] += 1

    # -- CLDR regions --------------------------------------------------------------------------------------------
    region_map: dict[str, str | None] = {"EU": "org:eu", "UN": "org:un", "EZ": None, "QO": None, "001": None}
    for cells in _tsv(data / "lexicons" / "cldr_ar_region_names.tsv")[1:]:
        code, name = cells[0], cells[1]
        if code in region_map:
            target = region_map[code]
            if target:
                b.add(b.get(target), "ar", [name])
            continue
        e = b.get(f"reg:{code}", name=f"UN M.49 region {code}", type="LOC")
        b.add(e, "ar", [name])
        b.source(e, "cldr-regions")
        counts["regions"] += 1

    # -- curated regions, organisations and people ----------------------------------------------------------------
    for cells in _tsv(CURATED_DIR / "regions.tsv"):
        id_, typ, name, country, aliases = (cells + [""] * 5)[:5]
        e = b.get(id_, name=name, type=typ, country=country or None)
        b.add(e, "ar", _split(aliases))
        b.source(e, "curated")
        counts["curated_places"] += 1
    for cells in _tsv(CURATED_DIR / "orgs.tsv"):
        id_, typ, name, country, sector, aliases = (cells + [""] * 6)[:6]
        e = b.get(id_, name=name, type=typ, country=country or None, sector=sector or None)
        b.add(e, "ar", _split(aliases))
        b.add(e, "en", [name])
        b.source(e, "curated")
        counts["curated_orgs"] += 1
    for cells in _tsv(CURATED_DIR / "misc.tsv"):
        id_, typ, name, aliases = (cells + [""] * 4)[:4]
        e = b.get(id_, name=name, type=typ)
        b.add(e, "ar", _split(aliases))
        b.add(e, "en", [name])
        b.source(e, "curated")
        counts["curated_misc"] += 1
    for cells in _tsv(CURATED_DIR / "people.tsv"):
        id_, name, country, sector, aliases, roles = (cells + [""] * 6)[:6]
        e = b.get(id_, name=name, type="PER", country=country or None, sector=sector or None)
        b.add(e, "ar", _split(aliases))
        b.add(e, "en", [name])
        for r in roles.split(";"):
            if "@" in r:
                title, dates = r.split("@", 1)
                start, _, end = dates.partition("..")
                e["roles"].append(
                    {"title": title.strip(), "from": start or None, "to": end or None, "src": "curated"}
                )
        b.source(e, "curated")
        counts["curated_people"] += 1

    # -- Phoenix / CountryInfo: English aliases and CAMEO role codes with dates for known people -------------------
    by_en: dict[str, dict[str, Any]] = {}
    for e in b.entries.values():
        if e["type"] == "PER":
            for n in e["en"]:
                by_en[_en_key(n)] = e
    linked = 0
    for entry in _phoenix_entries(data / "petrarch2-dicts" / "Phoenix.Countries.actors.txt"):
        found = next((by_en[k] for k in (_en_key(a) for a in entry["names"]) if k in by_en), None)
        if found is None:
            continue
        e = found
        linked += 1
        b.add(e, "en", [_title(a) for a in entry["names"][:4]])
        for code, start, end, note in entry["roles"]:
            e["roles"].append(
                {"code": code, "from": start, "to": end, "title": note or None, "src": "phoenix"}
            )
        b.source(e, "phoenix")
    counts["phoenix_linked_people"] = linked

    # -- IGO CAMEO codes from Phoenix.International (for the organisations we know in Arabic) -----------------------
    igo_codes = _phoenix_igo_codes(data / "petrarch2-dicts" / "Phoenix.International.actors.txt")
    for e in b.entries.values():
        if e["type"] == "ORG":
            for n in e["en"]:
                code = igo_codes.get(_en_key(n))
                if code:
                    e["cameo"] = code
                    b.source(e, "phoenix-international")
                    break

    ambiguous = {normalize(n) for n in AMBIGUOUS_NAMES}
    for e in b.entries.values():
        if e["type"] == "GPE":
            e["ar"] = [a for a in e["ar"] if normalize(a) not in ambiguous]
    actors = []
    for e in b.entries.values():
        if not e["ar"] and not e["id"].startswith("cap:"):
            continue  # capitals stay without a name: the stage resolves an ambiguous one (عمان) from context
        e = {k: v for k, v in e.items() if v not in (None, [], "")}
        actors.append(e)
    actors.sort(key=lambda e: e["id"])
    counts["actors"] = len(actors)
    counts["arabic_names"] = sum(len(e.get("ar", ())) for e in actors)
    common = common_words(data)
    counts["common_words"] = len(common)
    # CLDR's Arabic names change between babel releases (a newer one gave 16 more exemplar cities), so a rebuild
    # reproduces the shipped file only under the babel that built it: recorded here, pinned in the dev extra.
    built_with = {"babel": _babel_version()}
    return {"version": 1, "built_with": built_with, "counts": dict(counts), "actors": actors, "common_words": common}


def _babel_version() -> str:
    try:
        import babel
    except ImportError:
        return "none"
    return str(babel.__version__)


def common_words(data: Path, min_count: int = 15, ratio: float = 0.15) -> list[str]:
    """Common nouns and adjectives, derived from the unlabelled news: a bare word whose definite form (ال + word)
    is frequent is a noun or adjective (سلاح/السلاح, كيماوي/الكيماوي), while names of people rarely take ال
    (جونسون, ماورر). The person-name filters of the entities stage use it; given names are never in it."""
    path = data / "unlabelled" / "ant-all-2018.jsonl.gz"
    if not path.exists():
        return []
    raw: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            raw.update(re.findall(r"[\u0621-\u064a]+", json.loads(line).get("text") or ""))
    freq: Counter[str] = Counter()
    for w, k in raw.items():
        freq[normalize(w)] += k
    first = {
        normalize(w)
        for line in (CURATED_DIR / "first_names.txt").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
        for w in line.split()
    }
    out = set()
    for w, k in freq.items():
        if w.startswith("ال") or k < min_count or w in first or len(w) < 2:
            continue
        d = freq.get("ال" + w, 0)
        if d >= 5 and d >= ratio * k:
            out.add(w)
    # function words and adverbs (جدا، أيضا) take no article: the stopword lists (spaCy, stopwords-iso; MIT) add them
    for sw in sorted((data / "lexicons" / "stopwords").glob("*.txt")):
        for line in sw.read_text(encoding="utf-8").splitlines():
            w = normalize(line.strip())
            if w and " " not in w and not w.startswith("#") and w not in first and len(w) >= 2:
                out.add(w)
    return sorted(out)


def _en_key(s: str) -> str:
    return re.sub(r"[^a-z]+", " ", s.lower().replace("_", " ")).strip()


_ROLE_RE = re.compile(r"\[(\w{3,})(?:\s+([<>]?)(\d{6,8})(?:\s*-\s*(\d{6,8}))?)?\]\s*(?:#\s*(.*))?")


def _date(s: str | None) -> str | None:
    if not s:
        return None
    if len(s) == 6:  # YYMMDD in the older Phoenix entries
        yy = int(s[:2])
        s = f"{19 if yy > 30 else 20}{s}"
    return f"{s[:4]}-{s[4:6]}-{min(int(s[6:8]), 28) if s[6:8] > '28' else s[6:8]}".replace("-0-", "-01-")


def _phoenix_entries(path: Path):
    cur: dict[str, Any] | None = None
    for raw in path.read_bytes().decode("utf-8", "replace").splitlines():
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        if line[0] in " \t":
            m = _ROLE_RE.search(line)
            if cur is not None and m and m.group(3):
                code, op, d1, d2, note = m.groups()
                start, end = (None, None)
                if op == ">":
                    start = _date(d1)
                elif op == "<":
                    end = _date(d1)
                else:
                    start, end = _date(d1), _date(d2)
                cur["roles"].append((code, start, end, (note or "").strip()))
            continue
        name = line.split("#")[0].strip().lstrip("+").strip()
        if line.startswith("+"):
            if cur is not None:
                cur["names"].append(name)
            continue
        if cur is not None:
            yield cur
        cur = {"names": [name], "roles": []}
    if cur is not None:
        yield cur


def _phoenix_igo_codes(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in path.read_bytes().decode("utf-8", "replace").splitlines():
        m = re.match(r"^\+?([A-Z][A-Z0-9_.'\-]+)\s*\[([A-Z]{3,})", raw)
        if m:
            out.setdefault(_en_key(m.group(1).replace("THE_", "", 1)), m.group(2))
    return out


def write(registry: dict[str, Any], path: Path = REGISTRY_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(registry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with gzip.GzipFile(filename=str(path), mode="wb", mtime=0) as f:  # mtime=0: byte-identical rebuilds
        f.write(payload)
    return path
