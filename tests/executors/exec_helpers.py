"""Helpers for the executor tests (a uniquely named module, since tests/ holds no packages).

The corpus: 30 real articles (from ../shared when present, else synthetic Arabic text), a plain-text page, a
binary file, a malformed JSONL line and a path that does not exist."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from marsad.data import Article
from marsad.pipeline import Pipeline, stage

N_ARTICLES = 30
# The whole default pipeline by default; MARSAD_TEST_UPTO=dates cuts it (to bisect a broken later stage).
UPTO = os.environ.get("MARSAD_TEST_UPTO") or None

_SYNTH = (
    "قال وزير الخارجية المصري سامح شكري في القاهرة يوم الثلاثاء إن بلاده ترفض أي تدخل في شؤون ليبيا الداخلية.\n"
    "وأضاف شكري خلال مؤتمر صحفي مع نظيره الفرنسي أن الحل السياسي هو الطريق الوحيد لإنهاء الأزمة المستمرة.\n"
    "من جهتها، أعلنت الأمم المتحدة أنها سترسل وفدا إلى طرابلس الأسبوع المقبل لبحث وقف إطلاق النار {n}.\n"
)


def shared_dir() -> Path | None:
    env = os.environ.get("MARSAD_SHARED")
    cand = Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared"
    return cand if cand.is_dir() else None


def make_corpus(d: Path) -> list[str]:
    sh = shared_dir()
    src = sh / "data" / "ant-multisource" / "ant_2018-03-01_21_politics.jsonl" if sh else None
    lines: list[str] = []
    if src is not None and src.exists():
        with open(src, encoding="utf-8") as f:
            for line in f:
                lines.append(line.rstrip("\n"))
                if len(lines) >= N_ARTICLES:
                    break
    else:
        for n in range(N_ARTICLES):
            lines.append(json.dumps({"id": f"s{n}", "title": f"خبر رقم {n} عن ليبيا", "text": _SYNTH.format(n=n)},
                                    ensure_ascii=False))
    lines.insert(7, '{"text": "broken json')  # one malformed record mid-file: must come out as a rejection
    (d / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "page.txt").write_text("عنوان الصفحة\n\n" + _SYNTH.format(n="x"), encoding="utf-8")
    (d / "blob.bin").write_bytes(bytes(range(256)) * 8)
    return [str(d / "news.jsonl"), str(d / "page.txt"), str(d / "blob.bin"), str(d / "missing.txt")]


@stage("sleepy", provides={"sleepy"})
def _sleepy(article: Article) -> Article:
    """A pathological stage: never finishes on articles whose text contains 'SLOW'."""
    if "SLOW" in article.text:
        while True:
            time.sleep(0.01)
    return article


def slow_pipeline() -> Pipeline:
    return Pipeline([_sleepy], time_limit=1.0)


@stage("killer", provides={"killer"})
def _killer(article: Article) -> Article:
    """Dies like a segfaulting C extension or an OOM-killed worker would."""
    if "KILL" in article.text:
        os.kill(os.getpid(), 9)
    return article


def killer_pipeline() -> Pipeline:
    return Pipeline([_killer], time_limit=5.0)
