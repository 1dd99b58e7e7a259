"""Names of companies, outlets, clubs and groups mined from the unlabelled news (``lexicons/org_names.tsv``).

News names an organisation once with its kind (شركة "فلان"، صحيفة فلان، وكالة فلان، نادي فلان) and later bare
(فلان). A name that follows such a head in many articles, is seldom a word (it rarely takes the article ال, it is no
common word of the corpus list) and is mostly written after a head of one kind is an organisation of that kind
wherever it stands. The tagger, trained on ANERcorp, misses most of them (company and outlet names are the largest
group of organisations the entity stage missed on new articles).

Hand-written mining rather than a library: no open Arabic organisation gazetteer exists; the thresholds below are
the whole method. Run ``python scripts/mine_org_names.py [--shared ../shared]`` (about a minute); it rewrites
``entities/data/lexicons/org_names.tsv``. Only names and counts are kept, never text."""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from marsad.gold.data import GoldKeys, gold_keys
from marsad.lang.ar.normalize import normalize

OUT = Path(__file__).parent / "data" / "lexicons" / "org_names.tsv"

# indefinite heads (normalised) → CAMEO sector of the organisation they name ("-": none)
HEADS: dict[str, str] = {
    "شركه": "BUS", "شركات": "BUS", "مجموعه": "BUS", "مصرف": "BUS", "بنك": "BUS",
    "صحيفه": "MED", "جريده": "MED", "مجله": "MED", "قناه": "MED", "شبكه": "MED", "وكاله": "MED", "موقع": "MED",
    "منظمه": "NGO", "حزب": "OPP", "حركه": "OPP", "جماعه": "REB", "نادي": "-",
}  # fmt: skip
MIN_DOCS = 5  # articles with the name after a head, and ANT articles with the name at all (ordinary vocabulary)
MIN_HEADED = 0.12  # share of the articles naming it that give it a head
MAX_DEFINITE = 0.1  # ال + word against the bare word: more is a noun (الاسمنت)
MIN_ONE_KIND = 0.6  # share of its heads of the most common kind

# transliterated function and generic words that are part of foreign names, never one alone (بنك أوف …)
_NOT_ALONE = frozenset(normalize(w) for w in """اوف أند اند ذا دي دا ديل لا لو سان انترناشيونال انترناشونال ناشونال
    غلوبل غلوبال انرجي ميديا نيوز تايمز ديلي سايت فاي واي جول ميغا فورين""".split())

_WORD = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+")
_TOKEN = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+|[«»\"“”]")
_QUOTES = frozenset('«»"“”')


def _texts(unlabelled: Path, gold: GoldKeys | None = None) -> Iterator[tuple[bool, str]]:
    """(is ANT, text) for every article of ``../shared/data/unlabelled`` (ANT 2018 and the SaudiNewsNet days), less
    the gold articles when ``gold`` is given: the evaluation texts must not decide what counts as a name."""
    with gzip.open(unlabelled / "ant-all-2018.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if gold is None or not gold.holds(d):
                yield True, (d.get("title") or "") + "\n" + (d.get("text") or "")
    for z in sorted(unlabelled.glob("snn-*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                if name.endswith(".json"):
                    with zf.open(name) as fh:
                        for a in json.load(io.TextIOWrapper(fh, encoding="utf-8")):
                            if gold is None or not gold.holds(a):
                                yield False, (a.get("title") or "") + "\n" + (a.get("content") or "")


def mine(unlabelled: Path, *, gold_root: Path | None = None, log=print) -> list[tuple[str, str, int]]:
    """(normalised name, sector, articles with a head) for the names that pass the thresholds; the gold articles
    under ``gold_root`` (when given) are left out of the counts."""
    from marsad.entities.common import _STOP, _arab_given, _first_names, _place_gazetteer
    from marsad.entities.registry import load_registry

    reg = load_registry()
    gaz = _place_gazetteer()
    given = _first_names() | _arab_given()

    def name_word(w: str) -> bool:
        return len(w) >= 3 and not w.startswith("ال") and w not in reg.common and w not in _STOP and w not in given

    headed: defaultdict[str, set[int]] = defaultdict(set)
    kinds: defaultdict[str, Counter[str]] = defaultdict(Counter)
    docs = list(_texts(unlabelled, gold_keys(gold_root) if gold_root is not None else None))
    for d, (_, text) in enumerate(docs):
        toks = ['"' if t in _QUOTES else normalize(t) for t in _TOKEN.findall(text)]
        for i, w in enumerate(toks[:-1]):
            head = w if w in HEADS else (w[1:] if w[:1] in "وبل" and w[1:] in HEADS else None)
            if head is None:
                continue
            j = i + 1
            quoted = toks[j] == '"'
            j += quoted
            name: list[str] = []
            while j < len(toks) and len(name) < 3 and toks[j] != '"' and name_word(toks[j]):
                name.append(toks[j])
                j += 1
            if not name or (quoted and (j >= len(toks) or toks[j] != '"')):
                continue
            for n in range(1, len(name) + 1):
                key = " ".join(name[:n])
                if d not in headed[key]:
                    headed[key].add(d)
                    kinds[key][head] += 1
    cands = {k: len(v) for k, v in headed.items() if len(v) >= MIN_DOCS}
    words = {w for k in cands for w in k.split()}
    bare: Counter[str] = Counter()
    ant: Counter[str] = Counter()
    wc: Counter[str] = Counter()
    for is_ant, text in docs:
        toks = [normalize(t) for t in _WORD.findall(text)]
        seen = set()
        for t in toks:
            for v in (t, t[1:] if t[:1] in "وبلف" else ""):
                if v in words or (v.startswith("ال") and v[2:] in words) or any(c + v in words for c in "وبل"):
                    wc[v] += 1
        for n in (1, 2, 3):
            for i in range(len(toks) - n + 1):
                k = " ".join(toks[i : i + n])
                if k in cands:
                    seen.add(k)
        bare.update(seen)
        if is_ant:
            ant.update(seen)
    out = []
    for k, nh in cands.items():
        ws = k.split()
        kind, n_kind = kinds[k].most_common(1)[0]
        longer = sum(v for e, v in cands.items() if e.startswith(k + " "))
        shorter = max((cands.get(" ".join(ws[:n]), 0) for n in range(1, len(ws))), default=0)
        if (
            tuple(ws) in reg.aliases  # the registry knows it (and its type)
            or ant[k] < MIN_DOCS
            or nh < MIN_HEADED * bare[k]
            or any(wc["ال" + w] > MAX_DEFINITE * max(wc[w], 1) for w in ws)
            or any(w.endswith(("ها", "هم")) and len(w) > 4 for w in ws)  # تجاربها: a noun and its pronoun
            or (len(ws) == 1 and (k in _NOT_ALONE or k.startswith("لل")))  # للتسويق: "for the marketing"
            or (len(ws) > 1 and ws[-1][:1] == "ل")  # فلان لمدة: the name ended before the preposition
            # وظلت، وبنوك، لتأجير: a conjunction or preposition on a word, not a name (وارنر، لوموند stay)
            or any(w[:1] in "وبل" and wc[w[1:]] > wc[w] for w in ws)
            or (len(ws) > 1 and (ws[-1],) in reg.aliases)  # تقول أنقرة: a verb and a place
            # a club or firm named like a town (هامبورغ، نيس) is the town when bare
            or (len(ws) == 1 and gaz is not None and any(p.population >= 50_000 for p in gaz.lookup_ar(k)))
            or longer >= 0.5 * nh  # ديلي of ديلي ميل
            or shorter >= 3 * nh  # تويتر جاء: the word after the name is the sentence going on
            or n_kind < MIN_ONE_KIND * sum(kinds[k].values())
        ):
            continue
        out.append((k, HEADS[kind], nh))
    out.sort(key=lambda r: (-r[2], r[0]))
    log(f"{len(docs)} articles, {len(cands)} candidates, {len(out)} names")
    return out


def write(rows: list[tuple[str, str, int]], path: Path = OUT) -> None:
    lines = [
        "# Organisation names mined from ../shared/data/unlabelled by marsad.entities.org_mining (scripts/mine_org_names.py):",
        "# a name written after a head of one kind (شركة، صحيفة، وكالة، نادي …) in many articles, seldom a word. Names only.",
        "# name (normalised)\tsector (- none)\tarticles with a head",
    ]
    lines += [f"{k}\t{s}\t{n}" for k, s, n in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
