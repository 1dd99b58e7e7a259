"""Stages and the pipeline that runs them.

A stage is anything with ``name``, ``requires``, ``provides`` and ``__call__(article) -> Article | Rejection``
(stanza's REQUIRES/PROVIDES, spaCy's ``requires=/assigns=``). The pipeline checks at build time that every
requirement is provided by an earlier stage, and turns any exception inside a stage into a :class:`Rejection`
that keeps the raw input, so a single pathological article never stops a batch and is never silently dropped.
"""

from __future__ import annotations

import signal
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from marsad.data import Article, Rejection
from marsad.errors import ConfigError, InputError

# Layers a fresh article from a reader already has.
READER_PROVIDES = frozenset({"text"})


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: frozenset[str]
    provides: frozenset[str]

    def __call__(self, article: Article) -> Article | Rejection: ...


@dataclass
class FunctionStage:
    """Wrap a plain function as a stage (datatrove's custom-function blocks)."""

    fn: Callable[[Article], Article | Rejection]
    name: str
    requires: frozenset[str] = frozenset()
    provides: frozenset[str] = frozenset()

    def __call__(self, article: Article) -> Article | Rejection:
        return self.fn(article)


def stage(name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = ()):
    """Decorator: ``@stage("my-stage", requires={"sentences"}, provides={"my_layer"})``."""

    def wrap(fn: Callable[[Article], Article | Rejection]) -> FunctionStage:
        return FunctionStage(fn, name, frozenset(requires), frozenset(provides))

    return wrap


@dataclass
class StageStats:
    seen: int = 0
    out: int = 0
    rejected: int = 0


class DocumentTimeout(BaseException):
    """Raised inside a stage when a document runs past the time limit. A BaseException, like KeyboardInterrupt,
    so that a stage's own ``except Exception`` fallback cannot swallow it and carry on with the slow document."""


_REARM_S = 0.05  # how soon an alarm that was swallowed fires again
_HOLD_MAX = 20  # re-armed alarms let pass while a raised timeout is still being handled (about a second)


def _time_limit(seconds: float | None) -> AbstractContextManager[None]:
    """Per-document wall-clock limit: SIGALRM in the main thread; in other threads (Ray actors run UDFs off the
    main thread, web servers use thread pools) a watchdog timer raises DocumentTimeout in the worker thread."""
    if not seconds:
        return nullcontext()
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return _thread_time_limit(seconds)
    return _AlarmLimit(seconds)


class _AlarmLimit:
    """SIGALRM that re-arms itself until a raise reaches the stage's own code (a raise that lands inside a gc
    callback or a destructor is swallowed as "unraisable", seen with hypothesis' gc hooks). A plain class, not a
    generator: a re-armed alarm landing while the block is left (a loaded machine pauses the process between the
    first raise and the exit) must not skip the disarming, or the caller building the rejection is hit by it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.inside = False
        self.held = 0  # re-armed alarms let pass while a timeout was being handled
        self.old: Any = None

    def _raise(self, signum: int, frame: Any) -> None:  # noqa: ARG002
        if not self.inside:
            return  # the block is over: a late alarm must not reach the caller
        signal.setitimer(signal.ITIMER_REAL, _REARM_S)
        if isinstance(sys.exc_info()[1], DocumentTimeout) and self.held < _HOLD_MAX:
            # the last raise did reach the code and is being handled (propagating through a finally, or in an
            # except): a second one would land wherever that handling is, e.g. in a gc callback of a collection it
            # starts, and be printed as unraisable. Fire again after it, in case the handler swallows it; a few
            # times only, so that slow work in an except that caught the timeout is still cut short
            self.held += 1
            return
        self.held = 0
        raise DocumentTimeout()

    def __enter__(self) -> None:
        self.inside = True
        self.old = signal.signal(signal.SIGALRM, self._raise)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Disarm, whatever fires meanwhile. An alarm can still land on entry to this method (before its ``try``):
        the caller then sees a DocumentTimeout and calls it again (:meth:`Pipeline.process`)."""
        while True:
            try:
                self.inside = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                if self.old is not None:
                    signal.signal(signal.SIGALRM, self.old)
                    self.old = None
                return
            except DocumentTimeout:
                continue


@contextmanager
def _thread_time_limit(seconds: float):
    """Like SIGALRM but for any thread: ``PyThreadState_SetAsyncExc`` delivers DocumentTimeout at the worker's next
    bytecode (as a signal handler would). The lock and the final clear make sure it never fires after the block."""
    import ctypes

    tid = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def _fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(DocumentTimeout))

    timer = threading.Timer(seconds, _fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:  # clear an exception that was set but not yet delivered
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), None)


@dataclass
class Pipeline:
    stages: Sequence[Stage]
    time_limit: float | None = 60.0  # seconds per document across all stages
    stats: dict[str, StageStats] = field(default_factory=dict)

    def __post_init__(self) -> None:
        have = set(READER_PROVIDES)
        for st in self.stages:
            missing = set(st.requires) - have
            if missing:
                raise ConfigError(
                    f"stage '{st.name}' requires {sorted(missing)} but no earlier stage provides them "
                    f"(stages so far: {[s.name for s in self.stages[: list(self.stages).index(st)]]})",
                    code="E201",
                )
            have |= set(st.provides)
            self.stats.setdefault(st.name, StageStats())
        self.provides = frozenset(have)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def warm(self) -> Pipeline:
        """Load what the stages load lazily (models, lexicons) now, outside any document's time limit: executors
        call it once per worker, so the first document is not the one that pays (or times out) for the loading."""
        for st in self.stages:
            warm = getattr(st, "warm", None)
            if callable(warm):
                warm()
        return self

    def process(self, article: Article) -> Article | Rejection:
        current = "pipeline"
        limit = _time_limit(self.time_limit)
        try:
            with limit:
                for st in self.stages:
                    current = st.name
                    stats = self.stats[st.name]
                    stats.seen += 1
                    result = st(article)
                    if isinstance(result, Rejection):
                        stats.rejected += 1
                        return _fill(result, article)
                    stats.out += 1
                    article = result
        except DocumentTimeout:
            while isinstance(limit, _AlarmLimit):  # a late alarm can escape the limiter's exit: disarm for sure
                try:
                    limit.close()
                    break
                except DocumentTimeout:
                    continue
            self.stats[current].rejected += 1
            return Rejection(
                current, "E_TIMEOUT", f"document took longer than {self.time_limit:g}s (per-document limit)",
                article.source, article.text, article.id,
            )  # fmt: skip
        except InputError as e:
            self.stats[current].rejected += 1
            return Rejection(current, e.code, str(e), article.source, article.text, article.id)
        except RecursionError:
            self.stats[current].rejected += 1
            return Rejection(current, "E_RECURSION", "input too deeply nested", article.source, article.text, article.id)
        except Exception as e:  # a bug in a stage must not lose the input: keep it as a rejection with the cause
            self.stats[current].rejected += 1
            tb = traceback.format_exc(limit=6)
            return Rejection(
                current, "E_INTERNAL", f"{type(e).__name__}: {e}", article.source, article.text, article.id,
                {"traceback": tb},
            )  # fmt: skip
        return article

    def run(self, items: Iterable[Article | Rejection]) -> Iterator[Article | Rejection]:
        for it in items:
            yield it if isinstance(it, Rejection) else self.process(it)

    def counts(self) -> Counter[str]:
        c: Counter[str] = Counter()
        for name, s in self.stats.items():
            c[f"{name}.rejected"] = s.rejected
        return c


def _fill(rej: Rejection, article: Article) -> Rejection:
    from dataclasses import replace

    return replace(
        rej,
        source=rej.source or article.source,
        raw=rej.raw if rej.raw is not None else article.text,
        id=rej.id or article.id,
    )
