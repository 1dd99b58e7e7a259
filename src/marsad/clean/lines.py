"""Lines of a scraped page and what each one looks like on its own (before layout decides what is body).

A line's *kind* comes from its form and a few closed lists of site-furniture words (share buttons, "read more",
widgets, copyright); these lists name what news sites in general print around an article, never one page's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.lang.ar.dates import find_dates, fold

# -- patterns (run on the folded line: أإآ→ا، ى→ي، ة→ه، Eastern digits→ASCII) ------------------------------
_BULLETS = " \t\u00a0\u200f\u200e\ufeff•·▪●◦►◄▶◀»«*|-–—_#،,:;."
_LATIN = re.compile(r"[A-Za-z]")
_NON_ARABIC = re.compile(r"[^\u0621-\u064a\u0671-\u06d3]+")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_TIME = re.compile(
    r"(?<!\d)([01]?\d|2[0-3])\s?:\s?([0-5]\d)(?::[0-5]\d)?(?!\d)\s*(?P<ampm>ص|م|AM|PM|am|pm|صباحا|مساء)?(?!\w)"
)
_TIME_LINE = re.compile(
    r"^\(?\s*(?:الساعه\s*)?(?:[01]?\d|2[0-3])\s?:\s?[0-5]\d(?::[0-5]\d)?\s*(?:ص|م|ت\s?م|ت\s?غ|AM|PM|am|pm|GMT|UTC"
    r"|بتوقيت\s+\S+|صباحا|مساء|\(?GMT\s*[+-]\s*\d+\)?)?\s*\)?$"
)
_COUNTER = re.compile(r"^\(?\s*\d{1,9}(?:[.,]\d+)?\s*(?:[kK]|الف|مليون)?\s*\)?$")
_LABELLED_COUNTER = re.compile(
    r"^(?:(?P<l1>[^\d:]{2,20}?)\s*[:：]?\s*(?P<n1>\d{1,9})|(?P<n2>\d{1,9})\s*(?P<l2>[^\d:]{2,20}))$"
)
_COUNTER_WORDS = (
    "مشاهد",
    "قراءه",
    "قراءات",
    "تعليق",
    "اعجاب",
    "زياره",
    "views",
    "comments",
    "likes",
    "shares",
)
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^\S+\.(?:com|net|org|jpg|jpeg|png|gif|webp)\S*$", re.I)
_AGE = re.compile(
    r"^(?:منذ|قبل)\s+(?:\d+\s+)?(?:دقيقه|دقايق|دقيقتين|ساعه|ساعات|ساعتين|يوم|ايام|يومين|اسبوع|اسابيع|شهر|اشهر)$"
)
_END = re.compile(r"^(?:/{2,}.*/{2,}|\(?انتهي\)?|\(?يتبع\)?|-+\s*انتهي\s*-+)$")
_BYLINE = re.compile(
    r"^(?:(?:كتب|كتبت|كتبه|كتبها|بقلم|بواسطه|By)(?:\s*[:/-]\s*|\s+)\S"
    # words that also open ordinary subheadings ("تقرير سري …") count only with a separator: "تقرير: فلان"
    r"|(?:اعداد|اعدت|متابعه|تحرير|تقرير|ترجمه|مراسل|مراسله|حوار|تصوير|المحرر)\s*[:/-]\s*\S)"
)
_DATE_LABELS = re.compile(
    r"(?<!\w)(?:التاريخ|تاريخ النشر|تاريخ|تم نشره|نشر في|نشر|نشرت|مساء|مساءا|صباحا|اخر تحديث|تحديث|محدثه|بتاريخ"
    r"|الموافق|في|GMT|UTC|م|ص|هـ|ه)(?!\w)|\d{1,2}:\d{2}|[():+،,|/\-]"
)

# Closed lists of furniture words (folded). Matched against the whole (short) line or its start.
_SHARE = (
    "مشاركه", "شارك", "شاركها", "share", "طباعه", "اطبع", "ارسل", "ارسال", "email", "e-mail", "البريد الالكتروني",
    "فيسبوك", "فيس بوك", "facebook", "تويتر", "twitter", "واتساب", "واتس اب", "whatsapp", "whats app", "telegram",
    "تيليجرام", "تلغرام", "لينكد", "linkedin", "لينكدين", "انستغرام", "انستجرام", "انستاجرام", "اينستاجرام",
    "instagram", "يوتيوب", "youtube", "pinterest", "pin interest", "انسخ الرابط", "نسخ الرابط", "رابط مختصر",
    "short url", "تابعنا", "تابعونا", "تابعوا", "استمع", "حفظ", "المفضله", "google plus", "messenger",
    "اضف تعليق", "اضف تعليقا", "اضف تعليقاً", "التعليقات", "تعليقات", "تعليق", "rss", "خدمه rss", "غوغل نيوز",
)  # fmt: skip
_RELATED = (
    "اقرا ايضا", "اقرا ايضاً", "اقرا المزيد", "اقرا", "انظر ايضا", "انظر ايضاً", "شاهد ايضا", "المزيد", "المزيد من",
    "الموضوعات المتعلقه", "مواضيع ذات علاقه", "مواضيع ذات صله", "اخبار ذات صله", "اخبار متعلقه", "ذات صله",
    "مقالات ذات صله", "الاكثر قراءه", "الاكثر قراءة", "اكثر قراءه", "الاكثر تصفحا", "الاكثر تصفحاً", "الاكثر مشاهده",
    "الاكثر تعليقا", "الاكثر مشاركه", "اخر الاخبار", "اخر الاخبار", "اخبار عاجله", "كل الاخبار", "الكلمات الدلاليه",
    "كلمات دلاليه", "الوسوم", "وسوم", "tags", "الموضوع", "مختارات", "trending", "عاجل", "ابرز الاخبار",
    "اخترنا لك", "قد يعجبك ايضا", "تاجز", "تاغز", "كلمات مفتاحيه", "ننصحك بقراءه", "تابع ايضا", "المزيد من الاخبار",
)  # fmt: skip
# "Read also"-style markers that open a line and are followed by a separator and another story's headline:
# "للمزيد: …", "اقرأ أيضا: …", "قد يهمك/ …", "شاهد.. …" (the marker alone on its line is in _RELATED).
_RELATED_PREFIX = re.compile(
    r"^(?:اقرا ايضا|اقرا ايضاً|اقرا المزيد|اقرا|انظر ايضا|شاهد ايضا|شاهد|للمزيد|المزيد|قد يهمك|قد يعجبك|اخترنا لك"
    r"|تابع ايضا|ذات صله)\s*(?::|/|\.\.+|…|[-–—]\s)\s*\S"
)
# Lines an outlet adds to every article of a kind, never the report itself: "* نقلا عن «الحياة»" under a reprinted
# column, the opinion disclaimer ("المقالات المنشورة تمثل رأي كتابها"، "… لا تعكس بالضرورة وجهة نظر …") and the
# app promotion ("يمكنكم تسلم إشعارات … تطبيق …"). In the 31,506 ANT articles of ../shared/data/unlabelled these
# forms occur only as such furniture (about 440, 500 and 870 lines).
_REPRINT = re.compile(r"^نقلا?ً? عن\s")
# an outlet and/or agency credit line under a wire story: "فرانس24/ أ ف ب", "رويترز / وكالات"
_AGENCY = r"(?:ا ف ب|اف ب|ا ب|د ب ا|رويترز|وكالات|الاناضول|واس|وام|قنا|سانا|بترا|كونا)"
_AGENCY_CREDIT = re.compile(rf"^(?:\S+(?:\s\S+)?\s*/\s*{_AGENCY}|{_AGENCY}\s*/\s*\S+(?:\s\S+)?)$")
_DISCLAIMER = ("تمثل راي كتابها", "تمثل راي كاتبها", "لا تعكس بالضروره وجهه نظر", "لا تعبر بالضروره عن راي")
_WIDGET = (
    "الطقس", "حاله الطقس", "درجه الحراره", "مواقيت الصلاه", "موعد الصلاه", "الصلاه", "الفجر", "الشروق", "الظهر",
    "العصر", "المغرب", "العشاء", "اسعار العملات", "سعر الصرف", "استطلاع الراي", "استطلاع", "صوت", "النتايج",
    "اسعار الذهب", "البورصه",
)  # fmt: skip
_IMAGE = (
    "news-picture", "picture", "image", "photo", "logo", "avatar", "icon", "weather-icon", "icon-weather", "الصوره",
    "صوره", "صور", "ارشيفيه", "صوره ارشيفيه", "الصوره:", "فيديو", "video", "انفوجرافيك", "انفوغرافيك", "©",
)  # fmt: skip
_FOOTER = ("جميع الحقوق محفوظه", "حقوق النشر", "all rights reserved", "copyright", "حقوق الطبع", "powered by")
# Comment-policy boilerplate; phrases chosen so that reported speech ("رفض التعليق على …") does not match.
_COMMENTS = (
    "تعليقك",
    "الاراء الوارده",
    "مراجعه التعليقات",
    "نشر التعليقات",
    "التعليقات المنشوره",
    "تعليقات القراء",
)
_SITE = (
    "الرييسيه", "الصفحه الرييسيه", "من نحن", "اتصل بنا", "اعلن معنا", "سياسه الخصوصيه", "شروط الاستخدام", "بحث",
    "تسجيل", "دخول", "خروج", "القايمه", "النسخه الرقميه", "الارشيف", "الاشتراك", "اشترك", "اعلى", "الرجوع الي اعلي الصفحه",
)  # fmt: skip


def _phrase_set(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


_SHARE_SET = _phrase_set(_SHARE)
_RELATED_SET = _phrase_set(_RELATED)
_WIDGET_SET = _phrase_set(_WIDGET)
_IMAGE_SET = _phrase_set(_IMAGE)
_SITE_SET = _phrase_set(_SITE)
_YEARISH = re.compile(r"(?<!\d)(?:1[34]\d\d|19\d\d|20\d\d)(?!\d)")
_NAME_CITY = re.compile(r"^[^\s:|]+(?:\s+[^\s:|]+){1,3}\s+[-–—]\s+[^\s:|]+(?:\s+[^\s:|]+)?$")
_FOLLOW = re.compile(
    r"^(?:تابعوا|تابعونا|تابعنا|تابع|follow us|اشترك|اشتركوا|حملوا|حمل تطبيق|لمتابعه)\b.*(?:عبر|علي|في|تطبيق|قناه|صفحه)"
)
_SENT_END = re.compile(r"[.!؟?…]['\"»”)\]]*$")
_INNER_PUNCT = re.compile(r"[،؛]|(?<![.!؟?])[.!؟?](?=\s)")
_IMG_CREDIT = re.compile(
    r"\((?:رويترز|ا ف ب|اف ب|أ ف ب|الاناضول|ارشيفيه|ارشيف|AFP|Reuters|AP|EPA|Getty)[^)]*\)\s*$|^(?:REUTERS|AFP|AP|EPA|GETTY)\b",
    re.I,
)


@dataclass(slots=True)
class Line:
    """One non-empty line: ``start``/``end`` are offsets of its stripped text in the page."""

    idx: int
    start: int
    end: int
    raw: str  # text[start:end]
    core: str  # folded, without bullets/edge punctuation, lower-cased Latin
    words: int
    arabic: float  # share of letters that are Arabic
    kind: str = ""  # furniture kind from the line's own form ("" = nothing special)
    prose: bool = False
    strong: bool = False  # prose with sentence punctuation or paragraph length (headline lists are not)
    weight: float = 0.0  # how much this line looks like article prose (block scoring)
    letters: int = 0
    arabic_letters: int = 0
    key: str = ""  # folded, whitespace-collapsed: equal keys = the same line repeated (a title shown twice)

    @property
    def text(self) -> str:
        return self.raw


def line_key(folded: str) -> str:
    return " ".join(folded.split()).strip(" .:-–—|•")


# Line breaks as str.splitlines() knows them (\r alone, \u2028 … included), so that "every line" means the same
# thing here and in tools that read our output.
_LINE = re.compile(r"[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_INVISIBLE = "\ufeff\u200f\u200e"


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    folded = fold(text)  # once for the page; fold is 1:1 so line offsets carry over
    for m in _LINE.finditer(text):
        s, e = m.span()
        while s < e and (text[s].isspace() or text[s] in _INVISIBLE):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in _INVISIBLE):
            e -= 1
        if s == e:
            seg = m.group()
            if seg.isspace():
                continue
            # a line of only invisible marks (BOM, bidi): keep it so that no non-empty line is lost
            s = m.start() + len(seg) - len(seg.lstrip())
            e = m.start() + len(seg.rstrip())
        out.append(_make_line(len(out), s, e, text[s:e], folded[s:e]))
    return out


def _make_line(idx: int, s: int, e: int, raw: str, folded: str) -> Line:
    core = folded.strip(_BULLETS).strip()
    # letter counts with one C-level pass each (a Python loop over characters dominated the stage's time)
    ar = len(_NON_ARABIC.sub("", core))
    letters = ar + (sum(map(len, _LATIN_RUN.findall(core))) if _LATIN_RUN.search(core) else 0)
    words = len(core.split())
    ln = Line(
        idx,
        s,
        e,
        raw,
        core.lower(),
        words,
        ar / letters if letters else 0.0,
        letters=letters,
        arabic_letters=ar,
        key=line_key(folded),
    )
    ln.kind = line_kind(ln)
    if not ln.kind and ln.words >= 8 and ln.arabic >= 0.6:
        ln.prose = True
        strong = bool(_SENT_END.search(raw)) or len(_INNER_PUNCT.findall(raw)) >= 1 or ln.words >= 20
        ln.strong = strong
        ln.weight = len(raw) * (1.0 if strong else 0.35)
    return ln


def _starts_with_any(core: str, phrases: frozenset[str], max_extra_words: int) -> bool:
    if core in phrases:
        return True
    parts = core.split()
    for k in (3, 2, 1):
        if len(parts) > k and " ".join(parts[:k]) in phrases and len(parts) - k <= max_extra_words:
            return True
    return False


def line_kind(ln: Line) -> str:
    """Furniture kind of a line from its own form, or "" when it could be article text."""
    c = ln.core
    if not any(ch.isalnum() for ch in c):
        return "symbol"
    if _TIME_LINE.match(c):
        return "time"
    if _COUNTER.match(c):
        return "counter"
    if _URL.match(c):
        return "link"
    if _END.match(c):
        return "end"
    if _AGE.match(c):
        return "date"
    w = ln.words
    if w <= 14 and any(ch.isdigit() for ch in c) and is_date_line(c):
        return "date"
    if w <= 12 and any(f in c for f in _FOOTER):
        return "footer"
    if "©" in ln.raw and w <= 12:
        return "footer" if w > 3 else "image"
    if w <= 10 and _FOLLOW.match(c):
        return "share"
    if w <= 6:
        if _starts_with_any(c, _SHARE_SET, 2) or c.startswith("share on"):
            return "share"
        if _starts_with_any(c, _RELATED_SET, 1):
            return "related"
        if c in _WIDGET_SET or "°" in c or "℃" in c:
            return "widget"
        if c in _IMAGE_SET or c.rstrip(":") in _IMAGE_SET or "-icon" in c or "icon-" in c:
            return "image"
        if c in _SITE_SET:
            return "nav"
        if _LABELLED_COUNTER.match(c) and any(k in c for k in _COUNTER_WORDS):
            return "counter"
    if w <= 6 and (_REPRINT.match(c) or _AGENCY_CREDIT.match(c)):
        return "credit"
    if w <= 40 and any(d in c for d in _DISCLAIMER):
        return "credit"
    if w <= 30 and "اشعارات" in c and "تطبيق" in c:
        return "promo"
    if w <= 30 and _RELATED_PREFIX.match(c) and not _INNER_PUNCT.search(c.split(None, 2)[-1]):
        return "teaser"  # "للمزيد: عنوان خبر آخر", inserted between paragraphs: the article goes on after it
    if w == 1 and c in ("كتب", "كتبت", "بقلم", "بواسطه", "by"):
        return "byline"
    if w <= 8 and _BYLINE.match(c):
        return "byline"
    if 2 <= w <= 7 and _NAME_CITY.match(c) and not any(ch.isdigit() for ch in c):
        return "byline"  # "حسام أبو العلا - القاهرة"
    if w <= 8 and _IMG_CREDIT.search(ln.raw) and w <= 4:
        return "image"
    if w <= 60 and _is_comment_policy(c):
        return "comments"
    if ln.arabic < 0.3 and w <= 12:
        return "latin"
    return ""


def _is_comment_policy(c: str) -> bool:
    if any(k in c for k in _COMMENTS):
        return True
    return c.startswith("اذا") and "التعليق" in c


def is_date_line(core: str) -> bool:
    """A line that is (almost) only a date/time stamp: "الإثنين، 24 أغسطس 2020 09:56 ص", "17:27 17.03.2020"."""
    spans = find_dates(core, order="dmy")
    spans = [s for s in spans if s.attrs["kind"] in ("absolute", "hijri")]
    if not spans:
        return False
    # a stamp carries a year or a clock time; "ثورة 25 يناير" is a subheading
    if not _YEARISH.search(core) and not _TIME.search(core):
        return False
    return len(date_line_rest(core, spans)) <= 2


def date_line_rest(core: str, spans=None) -> list[str]:
    """The words of a line left once its dates, clock times and date labels (التاريخ، الموافق …) are removed."""
    if spans is None:
        spans = [s for s in find_dates(core, order="dmy") if s.attrs["kind"] in ("absolute", "hijri")]
    rest = core
    for s in reversed(spans):
        rest = rest[: s.start] + " " + rest[s.end :]
    return _DATE_LABELS.sub(" ", rest).split()


def find_time(core: str) -> str | None:
    """HH:MM (24h) of the first clock time in a line."""
    m = _TIME.search(core)
    if not m:
        return None
    h, mi = int(m[1]), int(m[2])
    ampm = m["ampm"]
    if ampm in ("م", "PM", "pm", "مساء") and h < 12:
        h += 12
    elif ampm in ("ص", "AM", "am", "صباحا") and h == 12:
        h = 0
    return f"{h:02d}:{mi:02d}"


def labelled_counter(core: str) -> tuple[str | None, int] | None:
    """(label, value) for a counter line: "4" → (None, 4); "مشاهدات: 120" → ("مشاهدات", 120)."""
    c = core.strip("() ")
    if re.fullmatch(r"\d{1,9}", c):
        return None, int(c)
    m = _LABELLED_COUNTER.match(core)
    if m:
        label = (m["l1"] or m["l2"] or "").strip(" :")
        return label or None, int(m["n1"] or m["n2"])
    return None
