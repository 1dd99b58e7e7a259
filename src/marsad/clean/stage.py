"""The clean stage: title, metadata strip, boilerplate and body of a page given as plain text.

How it decides (rules that hold for news pages in general, no site lists):
1. Every non-empty line gets a *kind* from its own form (:mod:`marsad.clean.lines`): date/time/counter stamps,
   image placeholders, share and "read more" furniture, widgets, bylines, footers … and prose lines get a weight
   (length, sentence punctuation, share of Arabic letters).
2. The body is the strongest run of prose lines, allowing short interruptions (a subheading, an image caption);
   furniture words like share/related end a run. Comment policies and lists of headlines do not look like prose
   (no sentence punctuation) and lose to the article.
3. The title is the headline-like line before the body that is repeated on the page and/or is followed by the
   metadata strip (date, time, byline, image); the published date and time come only from that strip (between the
   title and the body), never from widgets, related lists or the body.
Metadata given by the reader (``meta['given']``) always wins over these guesses.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from marsad.clean.lines import Line, date_line_rest, find_time, labelled_counter, line_key, split_lines
from marsad.data import Article, Rejection, Span
from marsad.lang.ar.dates import find_dates, fold, infer_numeric_order

# Kinds that end a body run: once these appear the article is over (or has not started).
# A date stamp, clock time or byline between two prose lines also separates them: the metadata strip sits
# between a headline-like line (a poll question, a teaser) and the article.
_BREAK_KINDS = frozenset({"share", "related", "comments", "footer", "end", "date", "time", "byline"})
_HARD_BREAK = frozenset({"share", "comments", "footer", "end"})
# Kinds that only a web page has (a corpus article may still carry a date stamp, a byline or an end mark).
_SITE_KINDS = frozenset({"share", "related", "nav", "widget", "comments", "footer", "image"})
# Kinds that corpus articles carry as much as web pages (a rule line, a reprint credit, an inserted "للمزيد: …"
# teaser, an app promotion): they do not make a text a web page.
_ARTICLE_KINDS = frozenset({"symbol", "credit", "teaser", "promo"})
_MAX_JOIN_GAP = 7  # lines of an inserted "read also" box between two parts of one article
_MAX_GAP = 4  # non-prose lines a body run may contain in a row (captions, credits, a subheading)
_SPACE = re.compile(r"\s+")


@dataclass
class CleanStage:
    name: str = "clean"
    requires: frozenset[str] = frozenset({"text"})
    provides: frozenset[str] = frozenset({"title", "boilerplate", "body", "published"})
    min_arabic: float = 0.3

    def __call__(self, article: Article) -> Article | Rejection:
        text = article.text
        if not text.strip():
            return Rejection(self.name, "E_EMPTY", "no text", article.source)
        lines = split_lines(text)
        letters = sum(ln.letters for ln in lines)
        arabic = sum(ln.arabic_letters for ln in lines)
        if not letters or arabic / letters < self.min_arabic:
            return Rejection(
                self.name, "E_NOT_ARABIC", "the text has (almost) no Arabic letters", article.source
            )
        return clean_article(article, lines)


def clean_article(article: Article, lines: list[Line] | None = None) -> Article:
    text = article.text
    if lines is None:
        lines = split_lines(text)
    given: dict[str, Any] = dict(article.meta.get("given") or {})
    labels: dict[int, str] = {}  # line idx -> boilerplate label
    body_idx: set[int] = set()

    # -- title occurrences when the title is given ---------------------------------------------------------
    title_idx: int | None = None
    given_title = given.get("title") or article.title
    if given_title:
        key = _key(given_title)
        same = [ln.idx for ln in lines if ln.key == key]
        if not same and len(key) >= 10:
            # the page may print the headline with a site suffix ("… | سكاي نيوز عربية") or a kicker
            same = [
                ln.idx
                for ln in lines
                if not ln.strong
                and (key in ln.key or ln.key in key)
                and min(len(key), len(ln.key)) >= 0.6 * max(len(key), len(ln.key))
            ][:1]
        if same:
            title_idx = same[0]
            for i in same[1:]:
                labels[i] = "title"

    # -- body block -------------------------------------------------------------------------------------
    taken = {title_idx} | set(labels)
    furniture = sum(1 for ln in lines if ln.kind and ln.kind not in _ARTICLE_KINDS)
    site = any(ln.kind in _SITE_KINDS for ln in lines)
    if not site and furniture <= 1 + 0.1 * len(lines):
        # Text with (almost) no site furniture (a corpus article, a pasted story): every plain line is the
        # article, poems and bullet lists included; only the headline and the few stamps are set apart.
        if title_idx is None and not given_title:
            title_idx = _plain_title(lines)
            taken.add(title_idx)
        i0, i1 = None, None
        for ln in lines:
            if ln.idx in taken:
                continue
            if ln.kind and not (ln.kind == "date" and not body_idx and _is_dateline(ln)):
                labels[ln.idx] = ln.kind
            else:
                body_idx.add(ln.idx)
    else:
        i0, i1 = _best_block(lines, taken)
    if i0 is None and not body_idx:
        # no prose-looking line at all (a short text): keep every plain line that is not furniture
        plain = [ln.idx for ln in lines if not ln.kind and ln.idx not in taken and ln.words >= 2]
        if not plain:
            plain = [ln.idx for ln in lines if ln.idx not in taken]
        i0, i1 = (min(plain), max(plain)) if plain else (None, None)
    if i0 is not None and i1 is not None:
        _fill_body(lines, i0, i1, taken, body_idx, labels)

    if body_idx:
        _related_after_marker(lines, body_idx, labels)
        _headline_runs(lines, body_idx, labels)
        _related_tail(lines, body_idx, labels)

    # -- title guess ------------------------------------------------------------------------------------
    if title_idx is None and not given_title and i0 is not None and body_idx:
        title_idx = _guess_title(lines, i0, body_idx)
        if title_idx is not None:
            tkey = lines[title_idx].key
            for ln in lines:
                if ln.idx != title_idx and ln.idx not in body_idx and ln.key == tkey:
                    labels[ln.idx] = "title"

    # -- metadata strip: between the title (or top of page) and the body -------------------------------------
    first_body = min(body_idx) if body_idx else len(lines)
    strip_from = (
        title_idx + 1 if title_idx is not None and title_idx < first_body else max(0, first_body - 12)
    )
    strip = [ln for ln in lines[strip_from:first_body] if ln.idx not in body_idx]
    # day/month order from the page's own date stamps (12/23/2020 shows month-first)
    order = infer_numeric_order("\n".join(ln.core for ln in lines if ln.kind == "date"))
    published, published_time = _strip_date(strip, order)
    if published is None and title_idx is not None and title_idx < first_body:
        before = [ln for ln in lines[max(0, title_idx - 3) : title_idx] if ln.kind in ("date", "time")]
        published, t = _strip_date(before, order)
        published_time = published_time or t
    if published is None and body_idx:
        # a dateline opening the body ("برلين 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس")
        ln = lines[first_body]
        if ln.kind == "dateline":
            published, _ = _strip_date([ln], order)
    counters = _counters(strip)

    # -- label the rest ---------------------------------------------------------------------------------
    for ln in lines:
        if ln.idx == title_idx or ln.idx in body_idx or ln.idx in labels:
            continue
        labels[ln.idx] = _outside_label(ln)

    title_span = (
        [Span(lines[title_idx].start, lines[title_idx].end, "title")] if title_idx is not None else []
    )
    body_spans = [Span(ln.start, ln.end, "body") for ln in lines if ln.idx in body_idx]
    boiler = [
        Span(lines[i].start, lines[i].end, "boilerplate", {"kind": k}) for i, k in sorted(labels.items())
    ]

    meta = dict(article.meta)
    if counters:
        meta["counters"] = counters
    title = given.get("title") or article.title or (lines[title_idx].raw if title_idx is not None else None)
    pub = given.get("published") or article.published or published
    ptime = article.published_time or (published_time if pub == published or not published else None)
    layers = dict(article.layers)
    layers.update(title=tuple(title_span), boilerplate=tuple(boiler), body=tuple(body_spans))
    return article.evolve(
        layers=layers,
        title=title,
        published=pub,
        published_time=ptime,
        body="\n\n".join(text[s.start : s.end] for s in body_spans),
        meta=meta,
    )


def _key(s: str) -> str:
    return line_key(fold(s))


def _best_block(lines: list[Line], taken: set[int | None]) -> tuple[int | None, int | None]:
    """Start and end line of the strongest run of prose lines, joined with neighbouring runs that are separated
    from it only by an inserted "read also" box, captions or dates (not by share/footer/comment furniture)."""
    blocks: list[list[float]] = []  # [score, start, end]
    cur: list[float] | None = None
    gap = 0
    first_words: Counter[str] = Counter()

    def close() -> None:
        if cur is None:
            return
        # lists whose items all start alike (a site's rules, "إذا كان …") are not an article
        n = sum(first_words.values())
        if n >= 5 and first_words.most_common(1)[0][1] / n > 0.5:
            cur[0] *= 0.5
        blocks.append(cur)

    for ln in lines:
        if ln.idx in taken:
            gap += 1
            continue
        if ln.strong:
            if cur is None or gap > _MAX_GAP:
                close()
                cur, first_words = [0.0, ln.idx, ln.idx], Counter()
            cur[2] = ln.idx
            cur[0] += ln.weight
            first_words[ln.core.split()[0]] += 1
            gap = 0
        else:
            gap += 1
            if ln.kind in _BREAK_KINDS and cur is not None:
                close()
                cur = None
                gap = _MAX_GAP + 1
    close()
    if not blocks:
        return None, None
    b = max(range(len(blocks)), key=lambda i: (blocks[i][0], -i))
    start, end = int(blocks[b][1]), int(blocks[b][2])
    best = blocks[b][0]

    def joinable(a: int, z: int, other: float) -> bool:
        between = lines[a + 1 : z]
        return (
            len(between) <= _MAX_JOIN_GAP
            and other >= 0.2 * best
            and not any(x.kind in _HARD_BREAK for x in between)
            and (any(x.kind == "related" for x in between) or other >= 0.25 * best)
        )

    j = b + 1
    while j < len(blocks) and joinable(end, int(blocks[j][1]), blocks[j][0]):
        end = int(blocks[j][2])
        j += 1
    j = b - 1
    while j >= 0 and joinable(int(blocks[j][2]), start, blocks[j][0]):
        start = int(blocks[j][1])
        j -= 1
    return start, end


def _fill_body(
    lines: list[Line], i0: int, i1: int, taken: set[int | None], body: set[int], labels: dict[int, str]
):
    run: list[Line] = []

    def flush() -> None:
        for ln in run:
            if ln.kind:
                labels[ln.idx] = ln.kind
            elif (
                len(run) == 1
                and (ln.words <= 12 or ln.prose)
                and ln.arabic >= 0.6
                and not _looks_like_credit(ln)
            ):
                body.add(ln.idx)  # a subheading or a one-line paragraph between paragraphs
            elif ln.words >= 4 and ln.arabic >= 0.6 and ln.raw.rstrip()[-1:] in '.:؛،!؟?"»':
                body.add(ln.idx)
            elif ln.prose and not any(x.kind for x in run):
                body.add(ln.idx)  # unpunctuated paragraphs with no furniture around them
            else:
                labels[ln.idx] = "inline"  # captions, credits, inserted links
        run.clear()

    for ln in lines[i0 : i1 + 1]:
        if ln.idx in taken:
            continue
        if ln.strong:
            flush()
            body.add(ln.idx)
        else:
            run.append(ln)
    flush()
    # a short or unpunctuated last paragraph right after the run ("ودعا إلى آلية تحقيق مشتركة.")
    j = i1 + 1
    while (
        j < len(lines)
        and not lines[j].kind
        and lines[j].idx not in taken
        and lines[j].arabic >= 0.6
        and (lines[j].prose or (lines[j].words >= 3 and lines[j].raw.rstrip()[-1:] in '.!؟?"»'))
    ):
        body.add(j)
        j += 1
    # a dateline opening the article: a place, a date, an agency, but no clock time
    k = i0 - 1
    if (
        k >= 0
        and k not in taken
        and lines[k].kind == "date"
        and lines[k].words >= 4
        and _is_dateline(lines[k])
    ):
        lines[k].kind = "dateline"
        body.add(k)


# -- other stories printed inside or after the article --------------------------------------------------------
# A "related stories" box pasted into the text as plain lines: short one-sentence teasers of other reports. Each
# opens as a fresh story (not with a connective: و/ف، كما، يذكر أن، أضاف …), is cut short or ends at its first
# sentence; a news lead carries its own weekday and names its subject with a title in commas. Measured on the 31,506 ANT articles of
# ../shared/data/unlabelled (see the clean README): runs of three or more such lines at the end of the text occur
# as the related-stories box of one outlet's pages (about 11% of its characters) and almost nowhere else (one BBC
# list of the same first word, which the list test rejects; none in 15,000 SaudiNewsNet articles).
_CONTINUATION = frozenset(
    fold(w)
    for w in (
        "يذكر", "يشار", "بدوره", "بدورها", "كما", "إلا", "لكن", "غير", "أما", "ثم", "جاء", "تأتي", "يأتي", "هذا",
        "هذه", "ذلك", "كذلك", "أيضا", "إلى", "من", "هناك", "حيث", "لا", "ليس", "ليست", "بينما", "فيما", "أضاف",
        "أضافت", "تابع", "تابعت", "يضيف", "تضيف",
    )
)  # fmt: skip
_WEEKDAY = re.compile(
    r"(?<![\u0621-\u064a])(?:الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت)(?![\u0621-\u064a])"
)
# a lead names its subject with the title set off by commas: "قال فلان الفلاني، رئيس الاتحاد، إن …"
_APPOSITION = re.compile(r"^(?:\S+\s+){1,6}?\S+،\s[^،.\d]{3,80}،")
_SENT_BREAK = re.compile(r"[.!؟?][\"»”)]*\s+\S")
_ENDS_SENTENCE = re.compile(r"[.!؟?][\"'»”)\]\u202c]*$")
_TEASER_MAX_CHARS = 260
_TAIL_MIN = 3


def _teaser(ln: Line, *, dated_waw: bool = False) -> bool:
    """One line that reads as the lead of another story: 12+ words, one or two sentences, at most a teaser's length,
    opening with a word that does not continue the text before it. With ``dated_waw`` a line that opens with و
    counts too when it is dated like a lead (وجّه النائب العام، الجمعة، …: a verb that begins with و)."""
    if ln.kind or ln.words < 12 or len(ln.raw) > _TEASER_MAX_CHARS or ln.arabic < 0.6:
        return False
    if not ("\u0621" <= ln.raw[0] <= "\u064a" or ln.raw[0] in '"«'):
        return False  # "- item", "1. item": a list
    first = ln.core.split()[0].strip('"«»،,.:')
    if not first or first in _CONTINUATION or not ("\u0621" <= first[0] <= "\u064a"):
        return False
    if first[0] == "و" and not (dated_waw and _WEEKDAY.search(ln.core) and _APPOSITION.search(ln.raw)):
        return False
    if first[0] == "ف" and first != "في":
        return False
    if ":" in ln.core[:40]:
        return False  # "الاسم: …", a labelled item of a list
    return len(_SENT_BREAK.findall(ln.raw.replace("..", "،"))) <= 1  # a lead of one or two sentences


def _related_tail(lines: list[Line], body: set[int], labels: dict[int, str]) -> None:
    """Label as "related" the run of teasers that ends the body (see _teaser), when at least two of them look
    like news leads of their own (a weekday, or cut off without a sentence end) and they are not one list."""
    order = sorted(body)
    run: list[Line] = []
    rest = order[1:]
    for n, i in enumerate(reversed(rest)):
        above = rest[len(rest) - n - 2] if len(rest) - n - 2 >= 0 else None
        # a line opening with و belongs to the run only between two teasers, and dated and titled like a lead
        if not (
            _teaser(lines[i])
            or (run and above is not None and _teaser(lines[above]) and _teaser(lines[i], dated_waw=True))
        ):
            break
        run.append(lines[i])
    if len(run) < _TAIL_MIN:
        return
    if len(run) == len(rest):
        # every line after the lead is a lead too: a roundup of the day's news (CNN's "أبرز الأحداث"), whose items
        # are the article; a box of other stories follows an article's own paragraphs (2 of 10,000 ANT articles,
        # both roundups, against 242 boxes after a body)
        return
    before = lines[order[len(order) - len(run) - 1]]
    if before.raw.rstrip().endswith(":"):
        return  # "… as follows:" introduces the lines after it
    dated = sum(1 for ln in run if _WEEKDAY.search(ln.core) or not _ENDS_SENTENCE.search(ln.raw))
    if not dated or dated + sum(1 for ln in run if _APPOSITION.search(ln.raw)) < 2:
        return
    firsts = Counter(ln.core.split()[0] for ln in run)
    if firsts.most_common(1)[0][1] * 2 > len(run):
        return  # items of one list ("المجموعة A - …", "المجموعة B - …")
    for ln in run:
        body.discard(ln.idx)
        labels[ln.idx] = "related"


_HEADLINE_END = re.compile(r"[.!:؛،][\"'»”)\]\u202c]*$")


def _headline(ln: Line) -> bool:
    return (
        not ln.kind
        and 5 <= ln.words <= 20
        and not ln.strong
        and ln.arabic >= 0.6
        and not _HEADLINE_END.search(ln.raw)
        and ("\u0621" <= ln.raw[0] <= "\u064a" or ln.raw[0] in '"«#' or ln.raw[0].isdigit())
        and not _NUMBERED.match(ln.raw)
    )


_NUMBERED = re.compile(r"^\d{1,2}\s*[-–.)/]")  # "2 - item", "3. item"
_HARAKAT = re.compile(r"[\u064b-\u0652]")


def _verse_or_questions(run: list[Line]) -> bool:
    """Lines of a poem (they rhyme, or carry tatweel, vowel marks or "...") or a list of questions: body text."""
    last = Counter(ln.raw.rstrip()[-1:] for ln in run)
    ends = set(last)
    if ends != {'"'} and min(last.values()) >= 2 or len(ends) == 1 and ends != {'"'}:
        return True  # every line rhymes with another (a couplet, alternate rhymes)
    if ends == {"؟"}:
        return True
    return any("ـ" in ln.raw or "..." in ln.raw or len(_HARAKAT.findall(ln.raw)) >= 3 for ln in run)


def _headline_runs(lines: list[Line], body: set[int], labels: dict[int, str]) -> None:
    """Two or more headline-like lines in a row between two paragraphs (no sentence end, 5-20 words): the titles of
    other stories a page inserts into an article without a marker. A subheading is one line; a list of labelled
    items ("أفضل فيلم: …" three times or more) is not a list of headlines. On every third unlabelled ANT article
    these runs occur in 13% of BBC's articles (its inserted related links) and in four others of 9,000."""
    k = 1
    while k < len(lines) - 1:
        if not (k in body and _headline(lines[k])):
            k += 1
            continue
        j = k
        while j < len(lines) and j in body and _headline(lines[j]):
            j += 1
        run = lines[k:j]
        if (
            len(run) >= 2
            and j < len(lines)
            and lines[k - 1].strong
            and lines[j].strong
            and (k - 1) in body
            and j in body
            and not (len(run) >= 3 and all(":" in ln.raw for ln in run))
            and not _verse_or_questions(run)
        ):
            for ln in run:
                body.discard(ln.idx)
                labels[ln.idx] = "related"
        k = j


def _related_after_marker(lines: list[Line], body: set[int], labels: dict[int, str]) -> None:
    """Headlines listed under a "read also" marker line ("اقرأ أيضاً:"): the lines after it that do not read as
    prose (no sentence end, at most a headline's length) until the article resumes."""
    for ln in lines:
        if ln.kind != "related" or ln.idx + 1 >= len(lines):
            continue
        j = ln.idx + 1
        while (
            j < len(lines)
            and not lines[j].kind
            and not lines[j].strong
            and 3 <= lines[j].words <= 25
            and not _ENDS_SENTENCE.search(lines[j].raw)
        ):
            if j in body or labels.get(j) == "inline":  # (the body fill may have set them apart as inserts)
                body.discard(j)
                labels[j] = "related"
            j += 1


def _plain_title(lines: list[Line]) -> int | None:
    """In furniture-free text, the first line is the headline when it reads like one: short, no sentence end,
    followed by a paragraph."""
    first = lines[0]
    if first.kind or not (2 <= first.words <= 20) or first.strong or len(lines) < 2:
        return None
    if first.raw.rstrip()[-1:] in ".،:؛!":
        return None
    return first.idx if any(ln.strong for ln in lines[1:3]) else None


def _looks_like_credit(ln: Line) -> bool:
    return bool(re.search(r"\((?:[^()]{0,30})\)\s*$", ln.raw)) and ln.words <= 4


def _is_dateline(ln: Line) -> bool:
    """A dateline opening a wire story names a place and/or an agency around the date ("برلين 25 شوال 1436 هـ
    الموافق 10 أغسطس 2015 م واس"); a page's date stamp has a clock time or nothing but the date and labels."""
    if find_time(ln.core):
        return False
    return len(date_line_rest(ln.core)) >= 1


def _guess_title(lines: list[Line], i0: int, body: set[int]) -> int | None:
    counts = Counter(ln.key for ln in lines)
    best: tuple[float, int] | None = None
    prev_kind = ""
    for ln in lines[:i0]:
        kind_before = prev_kind
        prev_kind = ln.kind or ("text" if ln.words > 6 else "short")
        if ln.idx in body or ln.kind or not (3 <= ln.words <= 30) or ln.arabic < 0.5:
            continue
        s = 0.0
        if counts[ln.key] >= 2:
            s += 1.5
        nxt = [x for x in lines[ln.idx + 1 : ln.idx + 3]]
        if any(x.kind in ("date", "time", "byline", "image", "counter") for x in nxt):
            s += 2.0
        if ln.idx == 0 or ln.idx == lines[0].idx:
            s += 1.0
        if 5 <= ln.words <= 22:
            s += 1.0
        if kind_before in ("related", "widget"):
            s -= 2.0  # first item of a list under a "most read"/poll header
        if _SENT_END_DOT.search(ln.raw):
            s -= 1.5
        s -= 0.04 * min(i0 - ln.idx - 1, 100)  # lines between it and the article
        if best is None or s >= best[0] - 1e-9:
            best = (s, ln.idx) if best is None or s >= best[0] else best
    if best is None or best[0] < 0.5:
        return None
    return best[1]


_SENT_END_DOT = re.compile(r"[.،]\s*$")


def _strip_date(strip: list[Line], order: str) -> tuple[str | None, str | None]:
    published = ptime = None
    for ln in strip:
        if ln.kind not in ("date", "time", "dateline", "counter", "") and ln.words > 3:
            continue
        if published is None and any(c.isdigit() for c in ln.core):
            for s in find_dates(ln.core, order=order):
                if (
                    s.attrs["kind"] in ("absolute", "hijri")
                    and s.attrs["granularity"] == "day"
                    and s.attrs["date"]
                ):
                    published = s.attrs["date"]
                    break
        if ptime is None and ":" in ln.core and ln.kind in ("date", "time"):
            ptime = find_time(ln.core)
        if published and ptime:
            break
    return published, ptime


def _counters(strip: list[Line]) -> list[int] | dict[str, int]:
    vals: list[tuple[str | None, int]] = []
    for ln in strip:
        if ln.kind == "counter":
            c = labelled_counter(ln.core)
            if c is not None:
                vals.append(c)
    if vals and all(lbl for lbl, _ in vals):
        return {str(lbl): v for lbl, v in vals}
    return [v for _, v in vals]


def _outside_label(ln: Line) -> str:
    if ln.kind:
        return ln.kind
    if ln.words <= 4:
        return "nav"
    if ln.strong:
        return "other"
    return "related"  # headline-like lines outside the article: lists of other stories


def build_stage(**options: Any) -> CleanStage:  # noqa: ARG001 - options are shared by all stage factories
    return CleanStage()
