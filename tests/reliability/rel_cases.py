"""The catalogue of hostile and broken inputs, shared by tests/reliability and bench/reliability_table.py.

Each :class:`Case` writes its files into a folder and says how many inputs they hold (``records``): every one must
come out of ``marsad ingest`` as a stored article or a rejection with a reason (``read == records``), or the run
must stop with a clear one-line error. Anything else is a crash or a silent drop. Everything is generated here
(no third-party text is copied): the Arabic sentences are written for these tests.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SENT = (
    "قال وزير الخارجية المصري في القاهرة يوم الثلاثاء إن بلاده ترفض أي تدخل خارجي في شؤون ليبيا الداخلية، "
    "وأضاف أن الحل السياسي هو الطريق الوحيد لإنهاء الأزمة. "
    "من جهتها أعلنت الأمم المتحدة أنها سترسل وفدا إلى طرابلس الأسبوع المقبل لبحث وقف إطلاق النار.\n"
)
TITLE = "الأمم المتحدة ترسل وفدا إلى طرابلس لبحث وقف إطلاق النار"


def page(n: int = 0) -> str:
    return f"{TITLE} {n}\n\n" + SENT * 3 + f"رقم {n}\n"


def html_page(n: int = 0, *, body: str | None = None) -> bytes:
    body = body if body is not None else "".join(f"<p>{s}</p>" for s in (SENT * 3).splitlines())
    return (f"<!DOCTYPE html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>{TITLE} {n}</title>"
            f"</head><body><article><h1>{TITLE} {n}</h1>{body}<p>رقم {n}</p></article></body></html>").encode()


def jsonl_line(n: int, text: str | None = None) -> bytes:
    return json.dumps({"id": f"r{n}", "title": f"{TITLE} {n}", "text": text or page(n)}, ensure_ascii=False).encode()


def warc_bytes(n: int, *, gz: bool = True, payloads: list[bytes] | None = None) -> tuple[bytes, list[int]]:
    """A WARC with ``n`` HTML responses; returns the bytes and the end offset of each record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    ends = []
    for i in range(n):
        body = payloads[i] if payloads else html_page(i)
        hh = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(f"http://news.test/{i}", "response", payload=io.BytesIO(body),
                                            http_headers=hh, length=len(body)))
        ends.append(buf.tell())
    return buf.getvalue(), ends


@dataclass
class Case:
    kind: str  # the table's row: what sort of bad input
    name: str
    build: Callable[[Path], list[Path]]
    records: int  # inputs in the files: each must be stored or rejected (or the run stops with a clear error)
    expect_text: str | None = None  # encodings: the stored text must contain exactly this
    big: bool = False  # generates hundreds of MB (table and a dedicated test only)


@dataclass
class Outcome:
    read: int = 0
    stored: int = 0
    duplicate: int = 0
    rejected: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    error: str | None = None  # a clear MarsadError message (one line)
    crash: str | None = None  # anything else: a bug
    text_ok: bool | None = None

    expected: int = 0

    @property
    def silent_drop(self) -> int:
        return 0 if self.error else max(0, self.expected - self.read)

    def verdict(self) -> str:
        if self.crash:
            return "CRASH"
        if self.silent_drop:
            return "SILENT DROP"
        if not self.error and self.read != self.expected:
            return "COUNT MISMATCH"
        if self.text_ok is False:
            return "WRONG TEXT"
        if self.error:
            return "clear error"
        if self.stored + self.duplicate and self.rejected:
            return "stored + rejected"
        return "stored" if self.stored + self.duplicate else "rejected"

    def detail(self) -> str:
        if self.crash:
            return self.crash
        if self.error:
            return self.error
        parts = []
        if self.read != self.expected:
            parts.append(f"{self.read} of {self.expected} inputs came out")
        if self.stored or self.duplicate:
            parts.append(f"{self.stored + self.duplicate} stored")
        parts += [f"{k} ×{v}" for k, v in sorted(self.codes.items())]
        return ", ".join(parts)


def run_case(case: Case, tmp: Path) -> Outcome:
    """Build the case's files and ingest them into a fresh store exactly as ``marsad ingest`` does."""
    from marsad.errors import MarsadError
    from marsad.readers import read_paths
    from marsad.stages import default_pipeline
    from marsad.store import Store

    tmp.mkdir(parents=True, exist_ok=True)
    paths = case.build(tmp)
    out = Outcome(expected=case.records)
    db = tmp / "case.db"
    try:
        with Store(db) as st:
            s = st.ingest(read_paths([str(p) for p in paths]), pipeline=default_pipeline(time_limit=20))
            out.read, out.stored, out.duplicate, out.rejected = s.read, s.stored, s.duplicate, s.rejected
            out.codes = Counter({k.split("/", 1)[1]: v for k, v in s.rejected_by.items()})
            if case.expect_text is not None:
                texts = [r[0] for r in st.conn.execute("SELECT id FROM articles")]
                out.text_ok = bool(texts) and all(case.expect_text in st.get(i).text for i in texts)
            bad = st.conn.execute("PRAGMA integrity_check").fetchone()[0]
            if bad != "ok":
                out.crash = f"integrity_check: {bad}"
    except MarsadError as e:
        out.error = str(e).splitlines()[0]
    except Exception as e:  # noqa: BLE001 - this is what the suite is looking for
        out.crash = f"{type(e).__name__}: {str(e)[:160]}"
    finally:
        for p in paths:
            if p.exists() and p.stat().st_size > 50_000_000:
                p.unlink()  # the big generated files go as soon as they are read
    return out


# -- builders ------------------------------------------------------------------------------------------------
def _write(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], list[Path]]:
    """A builder writing ``data`` (or, for the big cases, what ``data()`` returns when the case runs)."""

    def build(d: Path) -> list[Path]:
        p = d / name
        p.write_bytes(data() if callable(data) else data)
        return [p]

    return build


def _encoding_cases() -> list[Case]:
    text = page(1)
    cases = []
    variants = [
        ("windows-1256", text.encode("cp1256")),
        ("ISO-8859-6", text.replace("،", ",").encode("iso8859_6")),
        ("UTF-16 LE with BOM", b"\xff\xfe" + text.encode("utf-16-le")),
        ("UTF-16 BE with BOM", b"\xfe\xff" + text.encode("utf-16-be")),
        ("UTF-16 LE without BOM", text.encode("utf-16-le")),
        ("UTF-16 BE without BOM", text.encode("utf-16-be")),
        ("UTF-8 with BOM", b"\xef\xbb\xbf" + text.encode()),
        ("UTF-8 with CRLF line ends", text.replace("\n", "\r\n").encode()),
    ]
    for label, data in variants:
        expect = text.replace("،", ",") if "8859" in label else text
        expect = expect.split("\n", 1)[0]  # the title line must come out exactly (CRLF variant included)
        cases.append(Case("wrong encoding: text page", label, _write("page.txt", data), 1, expect_text=expect))
    # HTML that lies about (or omits) its charset
    h = html_page(2).decode()
    for label, data in [
        ("HTML windows-1256, no charset", h.replace("<meta charset='utf-8'>", "").encode("cp1256")),
        ("HTML windows-1256 declared as utf-8", h.encode("cp1256")),
        ("HTML UTF-16 LE with BOM", b"\xff\xfe" + h.replace("<meta charset='utf-8'>", "").encode("utf-16-le")),
    ]:
        cases.append(Case("wrong encoding: HTML page", label, _write("page.html", data), 1, expect_text=TITLE))
    # a JSONL file in windows-1256 and a JSONL line with invalid UTF-8 among good ones
    cp = b"\n".join(jsonl_line(i) for i in range(3)).decode().encode("cp1256")
    cases.append(Case("wrong encoding: JSONL", "JSONL file in windows-1256", _write("a.jsonl", cp), 3))
    mixed = b"\n".join([jsonl_line(0), b'{"text": "\xff\xfe\xd9 broken utf-8 \xc3"}', jsonl_line(2)])
    cases.append(Case("wrong encoding: JSONL", "invalid UTF-8 bytes in one line", _write("b.jsonl", mixed), 3))
    return cases


def _truncated_cases() -> list[Case]:
    cases = []
    full = (b"\n".join(jsonl_line(i) for i in range(40)) + b"\n")
    gz = gzip.compress(full)
    for frac in (0.3, 0.6, 0.95):
        cut = gz[: int(len(gz) * frac)]
        got = zlib.decompressobj(31).decompress(cut)
        intact = got.count(b"\n")
        cases.append(Case("truncated gzip", f"JSONL.gz cut at {int(frac * 100)}%", _write("t.jsonl.gz", cut),
                          intact + 1))
    for n_keep, label in ((2, "mid-record"), (0, "inside the first record")):
        data, ends = warc_bytes(5)
        start = ends[n_keep - 1] if n_keep else 0
        cut = data[: start + (ends[n_keep] - start) // 2]
        cases.append(Case("truncated WARC", f"WARC.gz cut {label} ({n_keep} of 5 records intact)",
                          _write("t.warc.gz", cut), n_keep + 1))
    data, ends = warc_bytes(4, gz=False)
    cases.append(Case("truncated WARC", "plain WARC cut mid-record (2 of 4 intact)",
                      _write("t.warc", data[: ends[1] + 200]), 3))
    cases.append(Case("truncated WARC", "gzip header only", _write("h.warc.gz", gzip.compress(b"WARC/1.0\r\n")[:12]), 1))
    return cases


def _nested_cases() -> list[Case]:
    n = 10_000
    body = "<div>" * n + f"<p>{SENT}</p>" + "</div>" * n
    unclosed = "<span><b>" * n + SENT
    table = "<table><tr><td>" * (n // 3) + SENT
    return [
        Case("HTML with 10,000 nested tags", "10,000 nested <div>", _write("n1.html", html_page(0, body=body)), 1),
        Case("HTML with 10,000 nested tags", "20,000 unclosed <span><b>", _write("n2.html", html_page(0, body=unclosed)), 1),
        Case("HTML with 10,000 nested tags", "10,000 nested table cells", _write("n3.html", html_page(0, body=table)), 1),
        Case("HTML with 10,000 nested tags", "10,000 nested <div> inside a WARC",
             lambda d: _warc_file(d, [html_page(0, body=body)]), 1),
    ]


def _warc_file(d: Path, payloads: list[bytes]) -> list[Path]:
    data, _ = warc_bytes(len(payloads), payloads=payloads)
    p = d / "w.warc.gz"
    p.write_bytes(data)
    return [p]


def _huge_line(name: str, size_mb: int, *, jsonl: bool) -> Callable[[Path], list[Path]]:
    def build(d: Path) -> list[Path]:
        p = d / name
        chunk = ("كلمة " * 20_000).encode()  # Arabic words, no newline
        with open(p, "wb") as f:
            if jsonl:
                f.write(jsonl_line(0) + b"\n" + b'{"text": "')
            written = 0
            while written < size_mb * 1024 * 1024:
                f.write(chunk)
                written += len(chunk)
            if jsonl:
                f.write(b'"}\n' + jsonl_line(2) + b"\n")
        return [p]

    return build


def _big_cases() -> list[Case]:
    return [
        Case("huge single line", "200 MB single-line text file", _huge_line("big.txt", 200, jsonl=False), 1, big=True),
        Case("huge single line", "JSONL with a 50 MB line between two good ones", _huge_line("big.jsonl", 50, jsonl=True),
             3, big=True),
    ]


def _zip(members: list[tuple[str, bytes]], *, lie: int | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    raw = buf.getvalue()
    if lie is not None:  # rewrite the declared uncompressed size in the central directory and local header
        raw = raw.replace(len(members[0][1]).to_bytes(4, "little"), lie.to_bytes(4, "little"))
    return raw


def _snn(n: int) -> bytes:
    recs = [{"source": "spa", "url": f"http://news.test/{i}", "date_extracted": "2015-08-10 10:00:00",
             "title": f"{TITLE} {i}", "author": "", "content": page(i)} for i in range(n)]
    return json.dumps(recs, ensure_ascii=False).encode()


def _gz_line_bomb() -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"a" * (1 << 20)
    parts = [c.compress(chunk) for _ in range(1024)]
    return b"".join(parts) + c.compress(b"\n" + jsonl_line(1) + b"\n") + c.flush()


def _bomb_cases() -> list[Case]:
    return [
        Case("zip bomb inside an archive", "SaudiNewsNet zip: 300 MB member of spaces",
             _write("2015-08-10.zip", lambda: _zip([("2015-08-10.json", b"[" + b" " * (300 << 20) + b"]")])), 1,
             big=True),
        Case("zip bomb inside an archive", "SaudiNewsNet zip: member lying about its size",
             _write("2015-08-11.zip", _zip([("2015-08-11.json", _snn(3))], lie=200)), 1),
        Case("zip bomb inside an archive", "SaudiNewsNet zip nested in a zip",
             _write("2015-08-12.zip", _zip([("inner.zip", _zip([("2015-08-12.json", _snn(2))]))])), 1),
        Case("zip bomb inside an archive", "JSONL.gz: one 1 GB line (1 MB compressed)",
             _write("bomb.jsonl.gz", _gz_line_bomb), 2, big=True),
        Case("zip bomb inside an archive", "WARC.gz: a 1 GB HTML payload",
             lambda d: _warc_bomb(d), 1, big=True),
    ]


def _warc_bomb(d: Path) -> list[Path]:
    """A gzipped WARC whose one response claims and holds 1 GB of HTML (compresses to ~1 MB)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    class Zeros(io.RawIOBase):
        def __init__(self, n: int) -> None:
            self.left = n

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:  # noqa: ANN001
            k = min(len(b), self.left)
            b[:k] = b"<p>" * (k // 3) + b"p" * (k % 3)
            self.left -= k
            return k

    n = 1024 * 1024 * 1024
    p = d / "bomb.warc.gz"
    with open(p, "wb") as f:
        w = WARCWriter(f, gzip=True)
        hh = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("http://news.test/bomb", "response", payload=io.BufferedReader(Zeros(n)),
                                            http_headers=hh, length=n))
    return [p]


def _binary_cases() -> list[Case]:
    rnd = random.Random(9)
    return [
        Case("binary or empty", "random bytes (.txt)", _write("r.txt", bytes(rnd.getrandbits(8) for _ in range(4096))), 1),
        Case("binary or empty", "PNG header (.html)", _write("p.html", b"\x89PNG\r\n\x1a\n" + os.urandom(2000)), 1),
        Case("binary or empty", "NUL bytes inside Arabic text", _write("nul.txt", page(0).encode().replace(b" ", b"\x00", 5)), 1),
        Case("binary or empty", "empty file", _write("e.txt", b""), 1),
        Case("binary or empty", "whitespace only", _write("w.txt", b" \n\t\r\n" * 100), 1),
        Case("binary or empty", "JSONL with only blank lines", _write("b.jsonl", b"\n\n  \n"), 1),
        Case("binary or empty", "garbage after a WARC header", _write("g.warc", b"WARC/1.0\r\n" + os.urandom(3000)), 1),
        Case("binary or empty", "WARC with only request records",
             lambda d: _warc_requests(d), 1),
        Case("binary or empty", "SaudiNewsNet JSON: empty array", _write("2015-08-13.zip", _zip([("2015-08-13.json", b"[]")])), 1),
    ]


def _warc_requests(d: Path) -> list[Path]:
    from warcio.warcwriter import WARCWriter

    p = d / "req.warc.gz"
    with open(p, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for i in range(3):
            w.write_record(w.create_warc_record(f"http://news.test/{i}", "request",
                                                payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"), length=18))
    return [p]


def _malformed_cases() -> list[Case]:
    lines = [jsonl_line(0), b'{"text": "unterminated', b"[1, 2, 3]", b'{"text": 42}', b'{"title": "no text"}',
             b'{"text": "\\ud800 lone surrogate ' + json.dumps(page(5), ensure_ascii=False)[1:-1].encode() + b'"}', b'{"text": "' + b"\\u0000" * 10 + b'"}',
             b"\x00\x01\x02", jsonl_line(9)]
    ant = ("<DOC>\n<DOCNO>X-1</DOCNO>\n<TITLE>" + TITLE + "</TITLE>\n<TEXT>\n" + SENT + "\n").encode()  # no </DOC>
    feed = b"<?xml version='1.0'?><rss><channel><item><title>" + TITLE.encode() + b"</title><description>"
    return [
        Case("malformed records", "JSONL: 9 lines, 6 of them broken in different ways", _write("m.jsonl", b"\n".join(lines)), 9),
        Case("malformed records", "ANT document without </DOC>", _write("ant.txt", ant), 1),
        Case("malformed records", "RSS feed cut mid-item", _write("f.rss", feed), 1),
        Case("malformed records", "HTML without any text", _write("x.html", b"<html><body><script>x()</script></body></html>"), 1),
        Case("malformed records", "SaudiNewsNet JSON that is not an array",
             _write("2015-08-14.zip", _zip([("2015-08-14.json", b'{"a": 1}')])), 1),
        Case("malformed records", "text with bidi controls, ZWJ, tatweel, harakat and emoji",
             _write("mix.txt", ("\u202b" + TITLE + "\u202c\n\n" + SENT.replace("ال", "الـــ\u200d").replace("ق", "قَ")
                                + "😀🇸🇦" * 50 + "\u200f").encode()), 1),
    ]


# Cases that show a bug in another room's code, reported to them; the tests mark these xfail with the reason.
# (none open: the plain-WARC sniffing bug was fixed by magic/suffix-first sniffing in readers.reader_for)
KNOWN_BUGS: dict[str, str] = {}


def catalogue(*, big: bool = True) -> list[Case]:
    cases = (_encoding_cases() + _truncated_cases() + _nested_cases() + _binary_cases() + _malformed_cases()
             + _bomb_cases() + _big_cases())
    return [c for c in cases if big or not c.big]
