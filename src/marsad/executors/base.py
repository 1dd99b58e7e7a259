"""What every executor shares: keyed inputs, how a worker builds its pipeline, and the run summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from marsad.data import Article, Rejection
from marsad.pipeline import Pipeline
from marsad.threads import (
    one_math_thread_per_worker as one_math_thread_per_worker,  # re-exported: executors use it
)

Keyed = tuple[str, Article | Rejection]


def make_key(file_index: int, record_index: int) -> str:
    """``<file>:<record>``, zero-padded so that sorting keys gives input order."""
    return f"{file_index:06d}:{record_index:09d}"


def keyed_inputs(paths: Iterable[str], *, fmt: str | None = None,
                 field_map: Mapping[str, str] | None = None) -> Iterator[Keyed]:
    """Every reader output with its key. Paths that expand to nothing become keyed rejections, not silence."""
    from marsad.readers import expand_paths

    for i, item in enumerate(expand_paths(paths)):
        if isinstance(item, Rejection):
            yield make_key(i, 0), item
            continue
        yield from read_one_file(i, str(item), fmt=fmt, field_map=field_map)


def read_one_file(file_index: int, path: str, *, fmt: str | None = None,
                  field_map: Mapping[str, str] | None = None) -> Iterator[Keyed]:
    """Reader outputs of one (already expanded) file; a reader that raises becomes a rejection."""
    from marsad.readers import read_file, read_paths

    j = -1
    try:
        # The path is already expanded (a '[' in a file name is not a glob): read_file refuses special files
        # (FIFOs, devices) and keeps names that are not valid UTF-8 printable.
        recs = read_paths(["-"], fmt=fmt, field_map=field_map) if path == "-" else \
            read_file(Path(path), fmt=fmt, field_map=field_map)
        for j, rec in enumerate(recs):  # noqa: B007
            yield make_key(file_index, j), rec
    except Exception as e:  # a reader bug must not lose the rest of the run silently
        yield make_key(file_index, j + 1), Rejection("read", "E_READER", f"{type(e).__name__}: {e}", path, None)
        return
    if j < 0:  # a file that yields nothing at all (empty array, garbage after a WARC header) is not silence
        yield make_key(file_index, 0), Rejection("read", "E_NO_RECORDS", "the reader found no article and no "
                                                 "error in this file", path, None, attrs={"path": path})


@dataclass(frozen=True)
class PipelineSpec:
    """How a worker builds its pipeline (picklable, so each worker builds it once in its own process).

    ``factory`` is an importable callable returning a :class:`Pipeline`; by default the default pipeline."""

    upto: str | None = None
    time_limit: float | None = 60.0
    options: Mapping[str, Any] = field(default_factory=dict)
    factory: Callable[..., Pipeline] | None = None

    def build(self) -> Pipeline:
        """The pipeline, its models loaded (:meth:`Pipeline.warm`): a worker builds it once, before any document."""
        if self.factory is not None:
            return self.factory().warm()
        from marsad.stages import default_pipeline

        return default_pipeline(upto=self.upto, time_limit=self.time_limit, **dict(self.options)).warm()


def process_keyed(pipe: Pipeline, chunk: Iterable[Keyed]) -> list[Keyed]:
    return [(k, it if isinstance(it, Rejection) else pipe.process(it)) for k, it in chunk]


@dataclass
class RunSummary:
    executor: str
    workers: int
    files: int = 0
    articles: int = 0
    rejections: int = 0
    entities: int = 0
    quotes: int = 0
    events: int = 0
    seconds: float = 0.0
    out: str | None = None

    @property
    def inputs(self) -> int:
        return self.articles + self.rejections

    def rate(self) -> float:
        return self.inputs / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"inputs": self.inputs, "per_second": round(self.rate(), 2)}

    def add_counts(self, counts: Mapping[str, int]) -> None:
        self.articles += counts.get("articles", 0)
        self.rejections += counts.get("rejections", 0)
        self.entities += counts.get("entities", 0)
        self.quotes += counts.get("quotes", 0)
        self.events += counts.get("events", 0)


def default_workers() -> int:
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def check_out_dir(out: str | Path) -> Path:
    from marsad.errors import InputError

    p = Path(out)
    if p.exists() and not p.is_dir():
        raise InputError(f"--out {out} exists and is not a directory", code="E_OUT")
    if p.is_dir() and any(p.glob("*/*.parquet")):
        raise InputError(f"--out {out} already holds Parquet shards; choose an empty directory", code="E_OUT")
    p.mkdir(parents=True, exist_ok=True)
    return p
