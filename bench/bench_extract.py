"""Body extraction on the Arabic HTML pages of ../shared/data/html-arabic: marsad's HTML reader + clean stage
against trafilatura's default extraction, side by side: token F1 (the gold scorer's tokens), title and date
accuracy, and time per page.

Gold: newspaper's expected CNN text (also used for goose3's copy of the same page), fundus' LBCI paragraphs,
the page-* documents of ../shared/gold/dev (body = text minus title and boilerplate lines), htmldate's gold dates.

    python bench/bench_extract.py [--shared ../shared] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=3, help="timing runs per page (median reported)")
    args = ap.parse_args()
    shared = Path(args.shared)
    sys.path.insert(0, str(shared / "eval"))
    import trafilatura
    from htmldate import find_date
    from score import body_tokens, multiset_overlap, norm, tokens  # the gold scorer's own tokenisation

    from marsad.data import Article
    from marsad.readers.html import article_from_html
    from marsad.stages import default_pipeline

    D = shared / "data" / "html-arabic"
    G = shared / "gold" / "dev"
    cnn_text = (D / "newspaper" / "arabic_expected_text.txt").read_text(encoding="utf-8")
    fundus = json.loads((D / "fundus" / "LBCGroup.json").read_text(encoding="utf-8"))["V1"]
    dates = {
        v["file"]: v["date"] for v in json.loads((D / "htmldate" / "gold_dates.json").read_text()).values()
    }

    # name -> (html bytes, gold body tokens or None, gold title or None, gold date or None)
    cases: dict[str, tuple[bytes, list[str] | None, str | None, str | None]] = {}
    cases["newspaper/cnn"] = (
        (D / "newspaper" / "arabic_article.html").read_bytes(),
        tokens(cnn_text),
        None,
        None,
    )
    cases["fundus/lbci"] = (
        gzip.decompress((D / "fundus" / "LBCGroup_2026_01_08.html.gz").read_bytes()),
        tokens("\n".join(p for s in fundus["body"]["sections"] for p in s["paragraphs"])),
        fundus["title"],
        fundus["publishing_date"][:10],
    )
    cases["trafilatura/assabah"] = (
        (D / "trafilatura" / "assabah.com.tn.article.html").read_bytes(),
        None,
        None,
        None,
    )
    pages = {f"page-{f[:-5]}": f"htmldate/{f}" for f in dates} | {
        "page-test_cnn_arabic": "goose3/test_cnn_arabic.html"
    }
    for gid, rel in pages.items():
        gold_file = G / f"{gid}.json"
        g = json.loads(gold_file.read_text(encoding="utf-8")) if gold_file.exists() else None
        name = rel.split("/")[0] + "/" + Path(rel).stem
        body = body_tokens(g) if g else (tokens(cnn_text) if "cnn" in rel else None)
        cases[name] = (
            (D / rel).read_bytes(),
            body,
            g["title"] if g else None,
            g["published"] if g else dates.get(Path(rel).name),
        )

    clean = default_pipeline(upto="clean")

    def ours(html: bytes) -> tuple[str, str | None, str | None]:
        a = article_from_html(html, source="bench")
        if not isinstance(a, Article):
            return "", None, None
        out = clean.process(a)
        return (out.body if isinstance(out, Article) else ""), a.title, a.published

    def theirs(html: bytes) -> tuple[str, str | None, str | None]:
        doc = trafilatura.bare_extraction(html, with_metadata=True)  # trafilatura's defaults
        if doc is None:
            return "", None, None
        return doc.text or "", doc.title, doc.date

    def f1(sys_t: list[str], gold_t: list[str]) -> tuple[float, int, int, int]:
        ov = multiset_overlap(sys_t, gold_t)
        p = ov / len(sys_t) if sys_t else 0.0
        r = ov / len(gold_t) if gold_t else 0.0
        return (2 * p * r / (p + r) if p + r else 0.0), ov, len(sys_t), len(gold_t)

    rows = []
    tot = {k: [0, 0, 0] for k in ("ours", "traf")}
    acc = {k: {"title": [0, 0], "date": [0, 0]} for k in ("ours", "traf")}
    times: dict[str, list[float]] = {"ours": [], "traf": []}
    for name, (html, gold, gtitle, gdate) in cases.items():
        res = {}
        for key, fn in (("ours", ours), ("traf", theirs)):
            ts = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                body, title, date = fn(html)
                ts.append(time.perf_counter() - t0)
            times[key].append(statistics.median(ts))
            score = f1(tokens(body), gold) if gold is not None else None
            if score:
                for i in range(3):
                    tot[key][i] += score[i + 1]
            if gtitle is not None:
                acc[key]["title"][0] += norm(title or "") == norm(gtitle)
                acc[key]["title"][1] += 1
            if gdate is not None:
                acc[key]["date"][0] += (date or "")[:10] == gdate
                acc[key]["date"][1] += 1
            res[key] = (score[0] if score else None, date, title)
        rows.append((name, res, gdate))

    print(f"{'page':32} {'F1 ours':>8} {'F1 traf':>8}  {'date ours':>10} {'date traf':>10} {'gold date':>10}")
    for name, res, gdate in rows:
        fo, ft = res["ours"][0], res["traf"][0]
        print(
            f"{name:32} {'-' if fo is None else f'{fo:.3f}':>8} {'-' if ft is None else f'{ft:.3f}':>8}  "
            f"{res['ours'][1] or '-':>10} {(res['traf'][1] or '-')[:10]:>10} {gdate or '-':>10}"
        )

    def micro(t: list[int]) -> float:
        p, r = t[0] / t[1] if t[1] else 0, t[0] / t[2] if t[2] else 0
        return 2 * p * r / (p + r) if p + r else 0.0

    n = len(cases)
    print()
    for key, label in (
        ("ours", "marsad (trafilatura no-comments + htmldate + dateline + clean)"),
        ("traf", "trafilatura default"),
    ):
        print(
            f"{label}: body micro-F1 {micro(tot[key]):.3f} | title {acc[key]['title'][0]}/{acc[key]['title'][1]}"
            f" | date {acc[key]['date'][0]}/{acc[key]['date'][1]} | median {statistics.median(times[key]) * 1000:.0f}"
            f" ms/page over {n} pages"
        )
    # htmldate alone on the 8 htmldate pages, for reference
    ok = sum(find_date((D / "htmldate" / f).read_bytes()) == d for f, d in dates.items())
    print(f"htmldate find_date default: {ok}/{len(dates)} dates on the htmldate pages")
    print(f"\nreproduce: python bench/bench_extract.py --shared {args.shared}")


if __name__ == "__main__":
    main()
