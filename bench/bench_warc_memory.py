"""Peak memory while ingesting a 2 GB WARC.gz (streaming): target < 1 GB RSS.

    python bench/bench_warc_memory.py                 # 2 GB, 1,000 article pages, marsad ingest + marsad run
    python bench/bench_warc_memory.py --size-gb 0.5 --pages 200 --skip-run

The WARC is generated in /tmp and deleted afterwards. Like a real crawl it is mostly records that are not
articles: 1,000 HTML article pages (each a distinct generated Arabic article), spread between large binary
responses (images, PDFs: skipped by the reader but still streamed through) and a few oversized HTML pages (over
the 20 MB per-document limit: rejected). Peak RSS is sampled every 0.1 s over the command's whole process tree
(the pool's workers included) with psutil.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

WORDS = ("قال وزير الخارجية إن بلاده ترفض أي تدخل في شؤون المنطقة وأضاف أن الحل السياسي هو الطريق الوحيد "
         "لإنهاء الأزمة وأعلنت الأمم المتحدة أنها سترسل وفدا إلى العاصمة الأسبوع المقبل لبحث وقف إطلاق النار "
         "في حين رحبت الحكومة بالمبادرة ودعت المعارضة إلى الحوار").split()


def _record(uri: str, ctype: str, payload: bytes, rtype: str = "response") -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n\r\n".encode() + payload
    head = (f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{random.getrandbits(128):032x}>\r\nContent-Type: application/http; "
            f"msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def _page(rng: random.Random, i: int) -> bytes:
    paras = "".join(f"<p>{' '.join(rng.choice(WORDS) for _ in range(60))}.</p>" for _ in range(8))
    return (f"<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>خبر رقم {i}</title>"
            f"</head><body><nav>الرئيسية | أخبار | رياضة</nav><article><h1>خبر رقم {i} عن المنطقة</h1>{paras}"
            f"</article><footer>جميع الحقوق محفوظة</footer></body></html>").encode()


def make_warc(path: Path, *, size: int, pages: int, seed: int = 7) -> dict[str, int]:
    """Write gzip-per-record WARC members until the file reaches ``size`` bytes."""
    rng = random.Random(seed)
    n_pages = n_blobs = n_huge = 0
    blob = 8 * 1024 * 1024
    with open(path, "wb") as f:
        while f.tell() < size or n_pages < pages:
            if n_pages < pages and (n_pages * size <= f.tell() * pages or f.tell() >= size):
                f.write(gzip.compress(_record(f"http://news.test/{n_pages}", "text/html; charset=utf-8",
                                              _page(rng, n_pages)), 6))
                n_pages += 1
            elif n_huge < 3 and f.tell() > size * (n_huge + 1) // 4:
                big = b"<html><body><p>" + "كلمة ".encode() * (25 * 1024 * 1024 // 10) + b"</p></body></html>"
                f.write(gzip.compress(_record(f"http://news.test/huge{n_huge}", "text/html", big), 1))
                n_huge += 1
            else:  # incompressible media, as a crawl is full of
                f.write(gzip.compress(_record(f"http://news.test/img{n_blobs}.jpg", "image/jpeg",
                                              os.urandom(blob)), 1))
                n_blobs += 1
    return {"pages": n_pages, "media": n_blobs, "oversized_html": n_huge, "bytes": path.stat().st_size}


def peak_rss(cmd: list[str]) -> dict[str, float | int | str]:
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc = psutil.Process(p.pid)
    peak = 0
    while p.poll() is None:
        try:
            rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = p.communicate()
    return {"peak_rss_mb": round(peak / 2**20), "seconds": round(time.perf_counter() - t, 1), "rc": p.returncode,
            "summary": out.strip().splitlines()[-1] if out.strip() else err.strip()[-300:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-gb", type=float, default=2.0)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--skip-run", action="store_true", help="only marsad ingest, not marsad run --executor local")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="marsad-warc-", dir="/tmp"))
    marsad = [sys.executable, "-c", "from marsad.cli import main; main()"]
    try:
        warc = tmp / "crawl.warc.gz"
        t = time.perf_counter()
        info = make_warc(warc, size=int(a.size_gb * 2**30), pages=a.pages)
        info["generate_s"] = round(time.perf_counter() - t, 1)
        res: dict[str, object] = {"warc": info}
        res["ingest"] = peak_rss([*marsad, "ingest", str(warc), "--db", str(tmp / "m.db"), "--json", "--no-progress"])
        if not a.skip_run:
            res["run_local_2"] = peak_rss([*marsad, "run", str(warc), "--out", str(tmp / "pq"), "--workers", "2"])
        res["target"] = "peak RSS < 1024 MB"
        res["command"] = "python bench/bench_warc_memory.py " + " ".join(sys.argv[1:])
        print(json.dumps(res, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
