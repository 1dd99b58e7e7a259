"""`marsad process` on good and bad inputs, through the real console script."""

import json
import subprocess
import sys

import pytest

ARTICLE = (
    "وزير الخارجية يبحث مع نظيره سبل التعاون\n\n"
    "بحث وزير الخارجية مع نظيره اليوم سبل تعزيز التعاون بين البلدين في مختلف المجالات، "
    "وأكد الجانبان أهمية مواصلة التنسيق والتشاور بشأن القضايا الإقليمية والدولية ذات الاهتمام المشترك.\n"
)


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "marsad", *args], input=stdin, capture_output=True, timeout=300)


def records(proc):
    return [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]


def test_bad_inputs_are_reported_and_others_still_processed(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 50)
    (tmp_path / "english.txt").write_text("This page has no Arabic at all, only English words.\n" * 5)
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.write(("كلمة " * 1000 + "\n").encode() * 6000)  # ~54 MB
    cp1256 = tmp_path / "cp1256.txt"
    cp1256.write_bytes(ARTICLE.encode("cp1256"))
    iso = tmp_path / "iso.txt"
    iso.write_bytes(ARTICLE.encode("iso8859_6"))
    jl = tmp_path / "recs.jsonl"
    jl.write_text(
        json.dumps({"id": "r1", "text": ARTICLE, "published": "2024-02-03"}, ensure_ascii=False) + "\n"
        + "{not json\n"
        + json.dumps({"id": "r2"}) + "\n",
        encoding="utf-8",
    )
    p = run("process", "--format", "jsonl", "--upto", "text-layer", str(tmp_path))
    err = p.stderr.decode()
    assert p.returncode == 3, err
    assert "Traceback" not in err
    out = list(records(p))
    recs = {r["id"]: r for r in out}
    # good text, both legacy encodings decoded to the same text, and the valid JSONL record; ids hash the text (not
    # the path), so the three pages with the same text share one id
    bodies = [r["body"] for r in out]
    assert len(out) == 4, err
    assert len(recs) == 2, err
    assert recs["r1"]["published"] == "2024-02-03"
    assert all("بحث وزير الخارجية" in b for b in bodies)
    # one line per refused input, naming file (and line) and the reason
    for needle in ("empty.txt", "binary.bin", "english.txt", "big.txt", "recs.jsonl:2", "recs.jsonl:3"):
        assert any(needle in line for line in err.splitlines()), (needle, err)
    assert "4 processed, 6 rejected" in err


def test_stdin_jsonl_keeps_ids_and_given_metadata():
    rec = {"id": "abc", "title": "عنوان معطى", "text": ARTICLE, "url": "http://x/1", "source": "s"}
    p = run("process", "--format", "jsonl", "-", stdin=json.dumps(rec, ensure_ascii=False).encode())
    assert p.returncode == 0, p.stderr.decode()
    (r,) = records(p)
    assert r["id"] == "abc" and r["title"] == "عنوان معطى" and r["url"] == "http://x/1"


def test_missing_file_is_one_line_error():
    p = run("process", "/nonexistent/file.txt")
    assert p.returncode == 3
    assert "no such file" in p.stderr.decode() and "Traceback" not in p.stderr.decode()


def test_seed_spans_slice_the_text(shared):
    p = run("process", "--format", "json", str(shared / "examples" / "seed.txt"))
    assert p.returncode == 0, p.stderr.decode()
    r = json.loads(p.stdout)
    text = r["text"]
    for name, spans in r["layers"].items():
        for s in spans:
            assert 0 <= s["start"] <= s["end"] <= len(text), name
    assert r["title"] == "الصين وروسيا تؤكدان أهمية الحفاظ على المصالح المشتركة"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "text"])
def test_output_formats(tmp_path, fmt):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    p = run("process", "--format", fmt, str(f))
    assert p.returncode == 0, p.stderr.decode()
    assert "بحث وزير الخارجية" in p.stdout.decode()


def test_event_model_folder_is_used_or_refused_clearly(tmp_path):
    """--event-model DIR: a folder with no model is a usage error without a traceback; a model folder is used."""
    import shutil
    from importlib import resources

    good = tmp_path / "a.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty = tmp_path / "none"
    empty.mkdir()
    bad = run("process", "--format", "jsonl", "--event-model", str(empty), str(good))
    assert bad.returncode == 2, bad.stderr.decode()
    assert b"Traceback" not in bad.stderr and b"no event model" in bad.stderr
    folder = tmp_path / "model"
    folder.mkdir()
    data = resources.files("marsad.events").joinpath("data")
    for name in ("event_detector.npz", "event_context.npz"):
        if data.joinpath(name).is_file():
            with resources.as_file(data.joinpath(name)) as p:
                shutil.copy(p, folder / name)
    ok = run("process", "--format", "jsonl", "--event-model", str(folder), str(good))
    plain = run("process", "--format", "jsonl", str(good))
    assert ok.returncode == 0, ok.stderr.decode()
    assert [r.get("events") for r in records(ok)] == [r.get("events") for r in records(plain)]
