"""Dates in Arabic news text: absolute (numeric and month-name forms of all three Gregorian naming systems),
Hijri (converted with ``hijridate``), weekday names and relative references (اليوم، أمس، الأسبوع الماضي …)
resolved against a reference date (the publication date).

Written with regular expressions rather than ``dateparser`` because dateparser's Arabic data lacks the Levantine
and Maghrebi month names, has no Hijri support for Arabic text, and returns no character offsets; we need spans
whose ``text[start:end]`` is the evidence. Matching runs on a 1:1 folded copy of the text (same length, so offsets
carry over unchanged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from marsad.data import Span

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_iso_or_none(s: str) -> str | None:
    m = _ISO.match(s)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


# -- folding ---------------------------------------------------------------------------------------------------
# One character in, one character out, so that a match in the folded text has the same offsets in the original.
_FOLD1 = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ی": "ي", "ک": "ك"}
for _i in range(10):
    _FOLD1[chr(0x0660 + _i)] = str(_i)
    _FOLD1[chr(0x06F0 + _i)] = str(_i)
_FOLD1["٫"] = "."  # Arabic decimal separator
_FOLD1["٬"] = ","
_FOLD_PAIRS = tuple(_FOLD1.items())
_NEEDS_FOLD = re.compile("[" + "".join(_FOLD1) + "]")


def fold(text: str) -> str:
    """Fold hamza/alef forms, ى, ة and Eastern digits one-for-one (``len(fold(t)) == len(t)``)."""
    if text.isascii() or not _NEEDS_FOLD.search(text):
        return text
    # chained str.replace of the characters present is ~10x faster than str.translate with a dict on Arabic text
    for a, b in _FOLD_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text


# -- lexicons ----------------------------------------------------------------------------------------------------
def _rows(name: str) -> list[list[str]]:
    raw = resources.files("marsad.lang.ar").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.split("\t") for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True)
class _Lex:
    greg: dict[str, int]
    hijri: dict[str, int]
    weekdays: dict[str, int]


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    greg: dict[str, int] = {}
    hijri: dict[str, int] = {}
    for cal, num, name in _rows("months_ar.tsv"):
        (greg if cal == "gregorian" else hijri)[fold(name.strip()).lower()] = int(num)
    weekdays = {fold(name.strip()): int(n) for n, name in _rows("weekdays_ar.tsv")}
    return _Lex(greg, hijri, weekdays)


@lru_cache(maxsize=1)
def weekday_words() -> frozenset[str]:
    """The weekday names of ``weekdays_ar.tsv`` (with their spelling variants) in marsad's normalised form
    (:func:`marsad.lang.ar.normalize.normalize`): the one list the stages use to keep a day out of a name or a
    speaker phrase."""
    from marsad.lang.ar.normalize import normalize

    return frozenset(normalize(name.strip()) for _n, name in _rows("weekdays_ar.tsv"))


@lru_cache(maxsize=1)
def month_words() -> frozenset[str]:
    """The one-word Gregorian month names of ``months_ar.tsv`` (يناير، نيسان، جانفي …) in marsad's normalised form:
    a month is never a name, whatever a tagger makes of نيسان."""
    from marsad.lang.ar.normalize import normalize

    return frozenset(
        normalize(name.strip()) for cal, _n, name in _rows("months_ar.tsv") if cal == "gregorian" and " " not in name.strip()
    )


def _alt(names) -> str:
    # Longest first so that "كانون الثاني" wins over a shorter prefix; spaces match any run of spaces.
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    numeric: re.Pattern[str]
    numeric_ymd: re.Pattern[str]
    named_d: re.Pattern[str]
    named_m: re.Pattern[str]
    hijri_d: re.Pattern[str]
    hijri_m: re.Pattern[str]
    hijri_year: re.Pattern[str]
    relative: re.Pattern[str]
    weekday: re.Pattern[str]


def _with_case(names) -> set[str]:
    # Latin names in their usual casings (a case-insensitive regex is several times slower on long texts)
    out = set()
    for n in names:
        out.add(n)
        if n.isascii():
            out |= {n.capitalize(), n.upper(), n.title()}
    return out


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    # Every pattern starts with a literal or a digit so that the regex engine can skip ahead quickly; what must
    # not come before a match (a letter, a digit, "/") is checked in Python (see _clear_before).
    lx = _lex()
    gm = _alt(_with_case(lx.greg))
    hm = _alt(lx.hijri)
    wd = _alt(lx.weekdays)
    # A month name, optionally with its equivalent in another system: "مارس/ آذار", "آب/اغسطس",
    # "ديسمبر (كانون الأول)".
    month = rf"(?P<m1>{gm})(?:\s*[/(]\s*(?P<m2>{gm})\s*\)?)?(?!\w)"
    year = r"(?P<y>(?:19|20)\d\d)(?:\s?م(?!\w))?"
    year_part = rf"\s*[,،]?\s*(?:من\s+)?(?:عام\s+|سنه\s+)?{year}"
    named_d = rf"(?P<d>\d\d?)\s*(?:من\s+)?(?:شهر\s+)?{month}(?:{year_part})?"
    # month first: "مارس 2020", "ديسمبر 25, 2020", "November 9, 2020" (a year is required)
    named_m = rf"{month}(?:\s+(?P<d2>[0-3]?\d)(?=\s*[,،]\s*(?:19|20)\d\d))?{year_part}"
    numeric = r"(?P<a>\d\d?)\s?(?P<s1>[/.\-])\s?(?P<b>\d\d?)\s?(?P=s1)\s?(?P<y1>(?:19|20)\d\d)(?![\d/.\-]?\d)"
    numeric_ymd = r"(?P<y2>(?:19|20)\d\d)(?P<s2>[/.\-])(?P<b2>\d\d?)(?P=s2)(?P<c2>\d\d?)(?![\d/.\-]?\d)"
    marker = r"(?P<h>هـ|ه(?!\w)|هجري(?:ه|ا)?)"
    hijri_d = (
        rf"(?P<d>\d\d?)\s*(?:من\s+)?(?:شهر\s+)?(?P<m>{hm})(?!\w)(?:\s*(?P<y>1[3-5]\d\d))?(?:\s*{marker})?"
    )
    hijri_m = rf"(?P<m>{hm})(?!\w)\s*(?P<y>1[3-5]\d\d)\s*{marker}"
    hijri_year = r"(?P<y>1[3-5]\d\d)\s?(?:هـ|ه(?!\w))"
    rel_words = (
        r"(?P<today>اليوم(?!\s+(?:ال(?:اول|ثاني|ثالث|رابع|خامس|سادس|سابع|ثامن|تاسع|عاشر|تالي|سابق|واحد|عالمي|وطني)|"
        r"من|الذي|التي|ذاته|نفسه)))"
        r"|(?P<yest>(?:ال)?امس(?:\s+الاول)?|البارحه)"
        r"|(?P<after_tom>بعد\s+غد)"
        r"|(?P<tom>غدا|غدً?ا|الغد|غد(?=\s))"
        r"|(?P<unit>الاسبوع|الشهر|العام|السنه)\s+(?P<dir>الماضي|الماضيه|المنصرم|المنصرمه|الفايت|الفايته|السابق|السابقه"
        r"|المقبل|المقبله|القادم|القادمه|الجاري|الجاريه|الحالي|الحاليه)"
    )
    relative = rf"(?:{rel_words})[\u064b-\u0652]*(?:\s*[,،]?\s*(?P<wd>{wd}))?(?!\w)"
    weekday = rf"(?P<wd>{wd})(?:\s+(?P<dir>الماضي|المنصرم|الفايت|السابق|المقبل|القادم))?(?!\w)"
    return _Patterns(
        re.compile(numeric),
        re.compile(numeric_ymd),
        re.compile(named_d),
        re.compile(named_m),
        re.compile(hijri_d),
        re.compile(hijri_m),
        re.compile(hijri_year),
        re.compile(relative),
        re.compile(weekday),
    )


# Literal starts of the relative expressions: the regex is tried only where one of them occurs (str.find is far
# faster than letting the regex engine attempt an alternation at every "ا").
_REL_TRIGGERS = (
    "اليوم",
    "امس",
    "الامس",
    "البارحه",
    "بعد",
    "غد",
    "الغد",
    "الاسبوع",
    "الشهر",
    "العام",
    "السنه",
)
_HIJRI_TRIGGERS = ("محرم", "صفر", "ربيع", "جماد", "رجب", "شعبان", "رمضان", "شوال", "ذو", "ذي")
_DIGITS = re.compile(r"[0-9]+")  # text is folded first, so Eastern digits are ASCII here


def _positions(seg: str, words: tuple[str, ...]) -> list[int]:
    out = set()
    for w in words:
        i = seg.find(w)
        while i >= 0:
            out.add(i)
            i = seg.find(w, i + 1)
    return sorted(out)


def _matches_at(pat: re.Pattern[str], seg: str, positions) -> list[re.Match[str]]:
    out = []
    last = -1
    for p in positions:
        if p < last:
            continue
        m = pat.match(seg, p)
        if m:
            out.append(m)
            last = m.end()
    return out


def _clear_before(seg: str, i: int, extra: str = "") -> bool:
    """True when nothing word-like (or one of ``extra``) is glued to the left of position ``i``."""
    if i == 0:
        return True
    c = seg[i - 1]
    return not (c.isalnum() or c == "_" or c in extra)


def _clitic_start(seg: str, i: int) -> int | None:
    """Start of a match that may carry attached clitics (و ف ب ل: "والشهر الماضي", "بالأمس"), or None when the
    match is glued to some other word."""
    j = i
    while j > 0 and i - j < 2 and seg[j - 1] in "وفبل":
        j -= 1
    while j < i and not _clear_before(seg, j):
        j += 1
    return j if _clear_before(seg, j) else None


# -- numeric order -----------------------------------------------------------------------------------------------
_NUM_DM = re.compile(r"(\d{1,2})\s?([/.\-])\s?(\d{1,2})\s?\2\s?(?:19|20)\d\d")


def infer_numeric_order(text: str) -> str:
    """``"mdy"`` when the text shows month-first evidence (a date like 12/23/2020) and no day-first evidence,
    else ``"dmy"`` (the Arab convention)."""
    return numeric_order_evidence(text) or "dmy"


def numeric_order_evidence(text: str) -> str | None:
    """``"mdy"``/``"dmy"`` when some numeric date in ``text`` can only be read one way, else None."""
    if "/" not in text and "." not in text and "-" not in text:
        return None
    folded = fold(text)
    return _evidence(
        folded, [m.start() for m in _DIGITS.finditer(folded) if _clear_before(folded, m.start(), "/.-")]
    )


def _evidence(folded: str, starts: list[int]) -> str | None:
    dmy = mdy = False
    for m in _matches_at(_NUM_DM, folded, starts):
        a, b = int(m[1]), int(m[3])
        if a > 12 >= b:
            dmy = True
        elif b > 12 >= a:
            mdy = True
    if mdy and not dmy:
        return "mdy"
    return "dmy" if dmy else None


# -- the finder ----------------------------------------------------------------------------------------------------
def _mk(start: int, end: int, d: date | None, kind: str, gran: str, **extra) -> Span:
    attrs = {"date": d.isoformat() if d else None, "kind": kind, "granularity": gran}
    attrs.update(extra)
    return Span(start, end, "date", attrs)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _hijri_to_greg(y: int, m: int, d: int) -> date | None:
    from hijridate import Hijri

    try:
        g = Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)


def _hijri_year_of(ref: date) -> int | None:
    from hijridate import Gregorian

    try:
        return Gregorian(ref.year, ref.month, ref.day).to_hijri().year
    except (ValueError, OverflowError):
        return None


def _shift_month(d: date, k: int) -> date:
    y, m = divmod(d.month - 1 + k, 12)
    return date(d.year + y, m + 1, 1)


def find_dates(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    ref: date | None = None,
    order: str | None = None,
) -> list[Span]:
    """Date expressions in ``text[start:end]`` as spans labelled ``"date"`` with attrs ``date`` (ISO or None when
    it cannot be resolved, e.g. a relative date without ``ref``), ``kind`` (absolute | relative | hijri | weekday)
    and ``granularity`` (day | week | month | year). Offsets are into ``text``.

    ``order`` ("dmy"/"mdy") fixes the order of ambiguous numeric dates; by default it is inferred from
    ``text[start:end]`` (see :func:`infer_numeric_order`); pass the page's order when scanning a part of it."""
    if end is None:
        end = len(text)
    seg = fold(text[start:end])
    if not seg.strip():
        return []
    pats = _patterns()
    lx = _lex()
    found: list[Span] = []

    # Patterns that start with a digit are tried only where a run of digits starts (one cheap scan instead of
    # one regex pass per pattern over the whole text).
    runs = [m.span() for m in _DIGITS.finditer(seg)]
    starts = [a for a, _ in runs if _clear_before(seg, a, "/.-")]
    order = order or _evidence(seg, starts) or "dmy"
    numeric = _matches_at(pats.numeric, seg, starts) + _matches_at(pats.numeric_ymd, seg, starts)
    for m in numeric:
        if m.re is pats.numeric:
            a, b, y = int(m["a"]), int(m["b"]), int(m["y1"])
            if a > 12:
                d = _safe_date(y, b, a)
            elif b > 12:
                d = _safe_date(y, a, b)
            else:
                d = _safe_date(y, a, b) if order == "mdy" else _safe_date(y, b, a)
        else:
            d = _safe_date(int(m["y2"]), int(m["b2"]), int(m["c2"]))
        if d:
            found.append(_mk(start + m.start(), start + m.end(), d, "absolute", "day"))

    # month-first dates need a year: look for the month name only just before each year
    named_m: list[re.Match[str]] = []
    for a, z in runs:
        if z - a == 4 and seg[a : a + 2] in ("19", "20"):
            named_m.extend(pats.named_m.finditer(seg, max(0, a - 40), min(len(seg), z + 3)))
    for it in (_matches_at(pats.named_d, seg, starts), named_m):
        for m in it:
            if not _clear_before(seg, m.start(), "/"):
                continue
            d_txt = m["d"] if "d" in m.groupdict() else None
            d_txt = d_txt or m.groupdict().get("d2")
            mon = lx.greg[_norm_space(m["m1"]).lower()]
            yr: int | None = int(m["y"]) if m["y"] else (ref.year if ref else None)
            if d_txt:
                d = _safe_date(yr, mon, int(d_txt)) if yr else None
                if d is None and yr is not None:
                    continue  # "31 فبراير" is not a date
                gran = "day"
            else:
                d = date(yr, mon, 1) if yr else None
                gran = "month"
            found.append(_mk(start + m.start(), start + m.end(), d, "absolute", gran))

    hijri = []
    if any(w in seg for w in _HIJRI_TRIGGERS):
        hijri = _matches_at(pats.hijri_d, seg, starts) + list(pats.hijri_m.finditer(seg))
    for m in hijri:
        if not _clear_before(seg, m.start(), "/"):
            continue
        gd = m.groupdict()
        has_marker = bool(m["h"])
        if gd.get("d") and (int(gd["d"]) > 30 or not (m["y"] or has_marker or ref)):
            continue  # "رمضان"/"رجب" are also names; a day alone needs a reference year
        mon = lx.hijri[_norm_space(m["m"])]
        hy = int(m["y"]) if m["y"] else (_hijri_year_of(ref) if ref else None)
        if gd.get("d"):
            d = _hijri_to_greg(hy, mon, int(gd["d"])) if hy else None
            gran = "day"
        else:
            d = _hijri_to_greg(hy, mon, 1) if hy else None
            gran = "month"
        found.append(_mk(start + m.start(), start + m.end(), d, "hijri", gran))

    for m in _matches_at(pats.hijri_year, seg, starts):
        d = _hijri_to_greg(int(m["y"]), 1, 1)
        found.append(_mk(start + m.start(), start + m.end(), d, "hijri", "year"))

    for m in _matches_at(pats.relative, seg, _positions(seg, _REL_TRIGGERS)):
        s0 = _clitic_start(seg, m.start())
        if s0 is None:
            continue
        try:
            d, gran = _resolve_relative(m, ref)
        except (ValueError, OverflowError):  # a reference date at the edge of the calendar
            d, gran = None, "day"
        found.append(_mk(start + s0, start + m.end(), d, "relative", gran))

    for m in _matches_at(pats.weekday, seg, _positions(seg, tuple(lx.weekdays))):
        if not _clear_before(seg, m.start()):
            continue
        s0 = m.start()
        if seg[max(0, s0 - 4) : s0] == "يوم " and _clear_before(seg, s0 - 4):
            s0 -= 4
        wd = lx.weekdays[m["wd"]]
        d = None
        if ref and date.min + timedelta(days=7) < ref < date.max - timedelta(days=7):
            delta = (ref.isoweekday() - wd) % 7
            if m["dir"] in ("المقبل", "القادم"):
                d = ref + timedelta(days=(wd - ref.isoweekday()) % 7 or 7)
            elif m["dir"]:  # الماضي: strictly before the reference day
                d = ref - timedelta(days=delta or 7)
            else:  # news reports the past: the latest such weekday on or before the reference date
                d = ref - timedelta(days=delta)
        found.append(_mk(start + s0, start + m.end(), d, "weekday", "day"))

    return _merge(found, text)


def _norm_space(s: str) -> str:
    return " ".join(s.split())


def _resolve_relative(m: re.Match[str], ref: date | None) -> tuple[date | None, str]:
    if m["unit"]:
        unit, dr = m["unit"], m["dir"]
        k = (
            -1
            if dr.startswith(("الماضي", "المنصرم", "الفايت", "السابق"))
            else (1 if dr.startswith(("المقبل", "القادم")) else 0)
        )
        if ref is None:
            return None, {"الاسبوع": "week", "الشهر": "month"}.get(unit, "year")
        if unit == "الاسبوع":
            return ref + timedelta(days=7 * k), "week"
        if unit == "الشهر":
            return _shift_month(ref, k), "month"
        return date(ref.year + k, 1, 1), "year"
    if ref is None:
        return None, "day"
    if m["today"]:
        return ref, "day"
    if m["yest"]:
        return ref - timedelta(days=2 if m["yest"].endswith("الاول") else 1), "day"
    if m["after_tom"]:
        return ref + timedelta(days=2), "day"
    return ref + timedelta(days=1), "day"


# Kinds in order of preference when two candidates cover the same text.
_RANK = {"absolute": 0, "hijri": 1, "relative": 2, "weekday": 3}


def _merge(found: list[Span], text: str) -> list[Span]:
    """Keep the longest non-overlapping candidates; fold a weekday name written just before an absolute date
    ("الثلاثاء ١ / ١٢ / ٢٠٢٠") into that date's span."""
    found.sort(key=lambda s: (s.start, -(s.end - s.start), _RANK[s.attrs["kind"]]))
    kept: list[Span] = []
    for s in found:
        if kept and s.start < kept[-1].end:
            prev = kept[-1]
            if s.end - s.start > prev.end - prev.start and s.start == prev.start:
                kept[-1] = s
            continue
        kept.append(s)
    out: list[Span] = []
    for s in kept:
        if (
            out
            and out[-1].attrs["kind"] == "weekday"
            and s.attrs["kind"] in ("absolute", "hijri")
            and not text[out[-1].end : s.start].strip(" \t,،-")
        ):
            w = out.pop()
            s = Span(w.start, s.end, s.label, dict(s.attrs))
        out.append(s)
    return out


def month_number(name: str) -> int | None:
    """Gregorian month number of an Arabic month name in any of the three systems (None when unknown)."""
    return _lex().greg.get(_norm_space(fold(name)))


def parse_date(text: str, *, ref: date | None = None, order: str | None = None) -> str | None:
    """The first fully resolved absolute or Hijri date in ``text`` (ISO), or None."""
    for s in find_dates(text, ref=ref, order=order):
        if s.attrs["kind"] in ("absolute", "hijri") and s.attrs["date"] and s.attrs["granularity"] == "day":
            return s.attrs["date"]
    return None
