"""Wire agencies: recognise an agency's own feed (by source name or URL) and its credit or dateline in a text.

A reprint usually keeps the agency's credit — "(واس)", "الرياض - واس", "(أ ف ب)", "وكالة الأنباء القطرية" — so
the credit tells which agency a duplicate group comes from even when the agency's own item is not stored.
Matched on normalised text (marsad.lang.ar.normalize: أ→ا, ة→ه, ى→ي), so spelling variants meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.dedup.text import norm_text


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    sources: tuple[str, ...]  # source names / URL host fragments of the agency's own feed
    credits: tuple[
        str, ...
    ]  # normalised credit forms (short forms are matched only in brackets or datelines)
    long_forms: tuple[str, ...] = ()  # names matched anywhere in the first lines


AGENCIES: tuple[Agency, ...] = (
    Agency("SPA", "Saudi Press Agency", ("was", "spa", "spa.gov.sa"), ("واس",), ("وكاله الانباء السعوديه",)),
    Agency("QNA", "Qatar News Agency", ("qna", "qna.org.qa"), ("قنا",), ("وكاله الانباء القطريه",)),
    Agency("WAM", "Emirates News Agency", ("wam", "wam.ae"), ("وام",), ("وكاله انباء الامارات",)),
    Agency("SANA", "Syrian Arab News Agency", ("sana", "sana.sy"), ("سانا",), ("الوكاله العربيه السوريه للانباء",)),
    Agency("PETRA", "Jordan News Agency", ("petra", "petra.gov.jo"), ("بترا",), ("وكاله الانباء الاردنيه",)),
    Agency("KUNA", "Kuwait News Agency", ("kuna", "kuna.net.kw"), ("كونا",), ("وكاله الانباء الكويتيه",)),
    Agency("BNA", "Bahrain News Agency", ("bna", "bna.bh"), ("بنا",), ("وكاله انباء البحرين",)),
    Agency("ONA", "Oman News Agency", ("ona", "omannews.gov.om"), ("العمانيه",), ("وكاله الانباء العمانيه",)),
    Agency("MENA", "Middle East News Agency", ("mena", "mena.org.eg"), ("ا ش ا",), ("وكاله انباء الشرق الاوسط",)),
    Agency("INA", "Iraqi News Agency", ("ina.iq",), ("واع",), ("وكاله الانباء العراقيه",)),
    Agency("WAFA", "Palestinian News Agency", ("wafa", "wafa.ps"), ("وفا",), ("وكاله الانباء والمعلومات الفلسطينيه",)),
    Agency("APS", "Algeria Press Service", ("aps.dz",), ("واج",), ("وكاله الانباء الجزاريه",)),
    Agency("MAP", "Maghreb Arabe Presse", ("mapexpress", "map.ma"), ("ومع",), ("وكاله المغرب العربي للانباء",)),
    Agency("TAP", "Tunis Afrique Presse", ("tap.info.tn",), ("وات",), ("وكاله تونس افريقيا للانباء",)),
    Agency("SUNA", "Sudan News Agency", ("suna-sd",), ("سونا",), ("وكاله السودان للانباء",)),
    Agency("SABA", "Saba News Agency", ("saba.ye", "sabanews"), ("سبا",), ("وكاله الانباء اليمنيه",)),
    Agency("XINHUA", "Xinhua", ("xinhua", "xinhuanet"), ("شينخوا",), ("شينخوا",)),
    Agency("AFP", "Agence France-Presse", ("afp",), ("ا ف ب",), ("وكاله الصحافه الفرنسيه", "فرانس برس")),
    Agency("REUTERS", "Reuters", ("reuters",), ("رويترز",), ("رويترز",)),
    Agency("AP", "Associated Press", ("apnews",), ("ا ب",), ("اسوشيتد برس",)),
    Agency("DPA", "Deutsche Presse-Agentur", ("dpa",), ("د ب ا",), ("الالمانيه للانباء",)),
    Agency("ANADOLU", "Anadolu Agency", ("aa.com.tr",), ("الاناضول",), ("وكاله الاناضول",)),
)  # fmt: skip

_BY_SOURCE = {s: a for a in AGENCIES for s in a.sources}
_SEP = r"[\s\-–—:/]*"


def _credit_re() -> re.Pattern[str]:
    forms = sorted({c for a in AGENCIES for c in a.credits}, key=len, reverse=True)
    alt = "|".join(re.escape(f).replace(r"\ ", r"\s*") for f in forms)
    # "(واس)", "( أ ف ب )", "/ وام /", "الرياض - واس", "واس - الرياض", or the agency closing a dateline line
    # ("الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس").
    return re.compile(
        rf"[(\[«/]\s*(?P<b>{alt})\s*[)\]»/]|(?:^|\n)\s*(?:[^\W\d_]+\s+){{0,2}}-\s*(?P<d>{alt})\b"
        rf"|(?:^|\n)\s*(?P<s>{alt})\s*[-–—]|^\s*[^\n]{{0,120}}\s(?P<e>{alt})[ \t]*(?:\n|$)"
    )


_CREDIT_RE = _credit_re()
# Where a match of _CREDIT_RE can begin: its branches open with a bracket, ``^`` (the string's start: no MULTILINE)
# or a newline. ``search`` tries the four branches at every position of the zone; trying ``match`` at these
# positions only, in order, gives the same first match (``^`` matches only at the real start, ``pos`` or not).
_CREDIT_STARTS = re.compile(r"[\n(\[«/]")
_LONG_FORMS = tuple((f, a) for a in AGENCIES for f in a.long_forms)
# Most long forms contain this word; when the head lacks it, only the others can be in it (the same first match, in
# the same order, with 5 substring searches instead of 23)
_LONG_FORM_WORD = "وكاله"
_LONG_FORMS_WITHOUT_WORD = tuple((f, a) for f, a in _LONG_FORMS if _LONG_FORM_WORD not in f)
_FORM_TO_AGENCY = {re.sub(r"\s+", "", c): a for a in AGENCIES for c in a.credits}


def agency_of_source(source: str, url: str | None = None) -> Agency | None:
    """The agency whose own feed this is, from the source name or the URL host."""
    key = (source or "").strip().lower()
    if key in _BY_SOURCE:
        return _BY_SOURCE[key]
    if url:
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0]
        for a in AGENCIES:
            if any(s in host for s in a.sources if "." in s):
                return a
    return None


def _credit_match(zone: str) -> re.Match[str] | None:
    """``_CREDIT_RE.search(zone)``, trying only the positions where a match can begin (see ``_CREDIT_STARTS``)."""
    m = _CREDIT_RE.match(zone)
    if m:
        return m
    for s in _CREDIT_STARTS.finditer(zone):
        m = _CREDIT_RE.match(zone, s.start())
        if m:
            return m
    return None


def credited_agency(text: str, *, head: int = 600, tail: int = 300) -> Agency | None:
    """The agency credited in the text's dateline (first ``head`` chars) or closing credit (last ``tail``)."""
    zone = norm_text(text[:head] + "\n" + text[-tail:] if len(text) > head + tail else text)
    m = _credit_match(zone)
    if m:
        form = re.sub(r"\s+", "", m.group("b") or m.group("d") or m.group("s") or m.group("e") or "")
        return _FORM_TO_AGENCY.get(form)
    first = zone[:head]
    for f, a in _LONG_FORMS if _LONG_FORM_WORD in first else _LONG_FORMS_WITHOUT_WORD:  # agency by agency, as listed: the first agency with any long form in the head
        if f in first:
            return a
    return None
