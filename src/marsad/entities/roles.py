"""Title phrases (roles) around person names, and the country and sector they give.

A role phrase is a run of title words next to a name: نائب رئيس الوزراء وزير الخارجية الكندي "فلان",
المتحدث باسم الكرملين ديمتري بيسكوف, or an apposition after it: عادل الجبير، وزير الخارجية السعودي. The phrase must
contain a *head* (وزير، رئيس، المتحدث …); modifiers are domain words (الخارجية، الدفاع), linking words (باسم، لشؤون),
nisba adjectives (الصيني → CHN) and names of countries/organisations found by the registry. Written by hand: no
maintained library covers Arabic title phrases; Wojood's OCC spans are the check (tests/entities/test_roles*.py).
"""

from __future__ import annotations

# head word (normalised, without clitics) → sector
HEADS: dict[str, str] = {}
for _w in (
    "وزير وزيره الوزير الوزيره رئيس رئيسه الرئيس الرئيسه سفير السفير سفيره السفيره متحدث المتحدث متحدثه "
    "المتحدثه الناطق ناطق الناطقه مستشار المستشار مستشاره المستشاره نائب امير الامير اميره الاميره ملك الملك "
    "الملكه ملكه ولي سلطان السلطان حاكم الحاكم محافظ المحافظ عمده العمده مبعوث المبعوث المبعوثه مندوب المندوب "
    "مندوبه المندوبه ممثل الممثل ممثله الممثله زعيم الزعيم زعيمه الزعيمه مدير المدير مديره المديره امين الامين "
    "الامينه وكيل الوكيل سكرتير السكرتير مساعد المساعد مساعده المساعده المفوض مفوض المفوضه الشيخ شيخ "
    "المرشد مرشد القنصل قنصل الدبلوماسي دبلوماسي المسؤول مسؤول المسؤوله عضو العضو عضوه القائم"
).split():
    HEADS[_w] = "GOV"
for _w in (
    "قائد القائد قايد القايد الجنرال جنرال اللواء لواء العميد عميد العقيد عقيد الفريق فريق المشير مشير "
    "الاميرال قاده القاده ضابط الضابط رئيس_اركان"
).split():
    HEADS[_w] = "MIL"
for _w in "القاضي قاضي المدعي مدعي النايب_العام المحقق محقق".split():
    HEADS[_w] = "JUD"
for _w in "النايب النايبه البرلماني البرلمانيه السيناتور سيناتور".split():
    HEADS[_w] = "LEG"
for _w in "البابا بابا البطريرك بطريرك المطران مطران الانبا الامام امام الحاخام حاخام الكاردينال الاسقف اسقف المفتي مفتي".split():
    HEADS[_w] = "REL"
for _w in "المراسل مراسل المراسله مراسله الصحفي صحفي الصحفيه الكاتب كاتب المحلل محلل الاعلامي".split():
    HEADS[_w] = "MED"
for (
    _w
) in "الاستاذ استاذ الاستاذه الباحث باحث الباحثه الخبير خبير الخبيره الدكتور الدكتوره البروفيسور".split():
    HEADS[_w] = "EDU"
for _w in "رجل_الاعمال الملياردير المدير_التنفيذي".split():
    HEADS[_w] = "BUS"
for _w in "موظف الموظف مذيع المذيع مذيعه فنان الفنان الفنانه الشاعر الشاعره قائمقام مختار المختار مامور المفتش منسق".split():
    HEADS[_w] = "CVL"
for _w in "المعارض معارض المعارضه الناشط ناشط الناشطه".split():
    HEADS[_w] = "OPP"
for _w in "العميل عميل الجاسوس جاسوس".split():
    HEADS[_w] = "SPY"

# domain/modifier words that may follow a head inside a role phrase (normalised)
MODIFIERS = set(
    """الخارجيه الدفاع الداخليه الماليه الخزانه العدل الاقتصاد التجاره الصحه التعليم التربيه الطاقه النفط الزراعه
    الاعلام الثقافه السياحه النقل الاتصالات العمل الري الموارد المايه المائيه والري البيئه الاسكان الشباب الرياضه
    الاوقاف الشؤون شؤون لشؤون الدوله مجلس الوزراء وزراء الوزراء الجمهوريه الحكومه حكومه الاركان اركان العامه العام
    الاعلى الاول الاولى الثاني الثانيه الدايم الدايمه الدائم الدائمه التنفيذي الخاص الخاصه السابق السابقه الحالي
    في باسم للشؤون لدى الامن القومي الوطني الوطنيه الاستخبارات المخابرات المركزيه العسكريه العسكري الجيش الجوي
    البحري البحريه القوات قوات المسلحه الجويه البريه النواب الشيوخ الشورى البرلمان الكونغرس الكونجرس العموم
    الاوروبي الاوروبيه المتحده للامم الامم الدولي الدوليه الدوليين ولي العهد عهد الحرمين الشريفين خادم المنطقه
    منطقه امانه الاتحادي الاتحاديه الفيدرالي الفيدراليه الاقليمي البلديه الرئاسه الرئاسي الرئاسيه الانتقالي
    السيادي السيادة السياديه الاركان التحالف الحزب حزب الجمهوري الديمقراطي الشعبي الحرس الثوري فيلق الحزبيه
    والمغتربين المغتربين الخارجيه والتعاون والتعاون والهجره الهجره والسكان السكان والصناعه الصناعه التخطيط
    الاستثمار والاستثمار التنميه الدبلوماسيه الاعمال التنفيذيه اللجنه لجنه المكتب مكتب السياسي السياسيه الهيئه
    العليا لحقوق حقوق الانسان المتحده الامريكيه الامريكي المالكه""".split()
)
LINKERS = {"باسم", "لشؤون", "لدى", "لديها", "لديه", "في", "للشؤون", "عن", "و", "بأعمال", "باعمال"}

# The word lists above are typed in a lightly normalised spelling; fold them exactly as tokens are folded
# (ئ → ي, ة → ه, أ → ا) so that lookups never miss on orthography.
from marsad.lang.ar.normalize import normalize as _normalize  # noqa: E402

HEADS = {_normalize(k): v for k, v in HEADS.items()}
MODIFIERS = {_normalize(w) for w in MODIFIERS} | {
    "وزاره",
    "الوزاره",
    "الرفيع",
    "الرفيعه",
    "السفاره",
    "سفاره",
    "القنصليه",
    "السابق",
    "سابق",
    "سابقا",
    "المكلف",
    "المفوض",
}
LINKERS = {_normalize(w) for w in LINKERS}


def head_sector(norm_tok: str) -> str | None:
    """Sector of a role head (``None`` when the token is no head). Clitics و/ب/ل are tried off."""
    for t in (norm_tok, norm_tok[1:] if norm_tok[:1] in "وبلف" else ""):
        if t and t in HEADS:
            return HEADS[t]
    return None


def is_modifier(norm_tok: str) -> bool:
    if norm_tok in MODIFIERS or norm_tok in LINKERS:
        return True
    if norm_tok[:1] in "ول" and norm_tok[1:] in MODIFIERS:
        return True
    return norm_tok[:2] == "لل" and ("ال" + norm_tok[2:]) in MODIFIERS
