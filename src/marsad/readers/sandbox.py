"""Run a reader step where it can be stopped: a child process with a wall-clock limit and a memory cap.

trafilatura (readability fallback, htmldate) is superlinear on some pages: a 9.9 MB page of 500,000 paragraphs or
one element with 500,000 attributes ran for more than 400 s, and a 12 MB page of links took 1.36 GB. Python cannot
interrupt a C call (lxml) from a signal handler and cannot cap one thread's memory, so the page extraction runs in
a child process (one per reading thread, started on first use and kept): past the per-document time limit the child
is killed and the page becomes an ``E_TIMEOUT`` rejection; its address space is capped (``RLIMIT_AS``), so a page
that needs more memory is an ``E_TOO_LARGE`` rejection instead of swapping the machine. The child dies with its
parent (``PR_SET_PDEATHSIG``). Hand-written (about 150 lines) because neither ``multiprocessing`` (a pool cannot kill
one task, and daemonic pool workers may not start processes) nor ``concurrent.futures`` can stop a running call.

``MARSAD_READER_SANDBOX=0`` runs the step inline (no limits; for debugging with a debugger or a profiler).
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from typing import Any

# Seconds one page may take to read; the pipeline's per-document limit by default (set_limits changes it).
TIME_LIMIT: float | None = 60.0
# Address space of the child, in bytes: what one page's extraction may use. 640 MiB keeps the reading process
# and its child together under 1 GB (900 MiB let the pair reach 1.14 GB on the 9.9 MB page, 700 MiB 0.94 GB).
MEMORY_LIMIT = int(os.environ.get("MARSAD_READER_MEMORY", 640 << 20))

_HEADER = struct.Struct("!Q")


class SandboxTimeout(Exception):
    """The step ran past the time limit; the child was killed."""


class SandboxMemory(Exception):
    """The step needed more memory than the child may use."""


class SandboxCrash(Exception):
    """The child died (a crash in a C extension, the kernel's OOM killer) or the step raised."""


def set_limits(*, time_limit: float | None) -> None:
    """The per-document time limit for readers (the CLI and the executors pass the pipeline's)."""
    global TIME_LIMIT
    TIME_LIMIT = time_limit


def enabled() -> bool:
    return os.environ.get("MARSAD_READER_SANDBOX", "1") not in ("0", "false", "no")


def call(func: str, *args: Any, timeout: float | None = None) -> Any:
    """``module:function(*args)`` in the reading thread's child process, within ``timeout`` seconds (default:
    TIME_LIMIT). Raises SandboxTimeout, SandboxMemory or SandboxCrash; arguments and result are pickled."""
    if not enabled():
        return _resolve(func)(*args)
    limit = TIME_LIMIT if timeout is None else timeout
    worker = getattr(_local, "worker", None)
    if worker is None or worker.pid != os.getpid():  # (a forked process never shares its parent's child)
        worker = _local.worker = _Worker()
    return worker.call(func, args, limit)


_local = threading.local()


def _resolve(func: str) -> Any:
    mod, _, name = func.partition(":")
    return getattr(importlib.import_module(mod), name)


class _Worker:
    def __init__(self) -> None:
        self.pid = os.getpid()
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p) + (
            os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
        )
        return subprocess.Popen(
            [sys.executable, "-m", "marsad.readers.sandbox", str(MEMORY_LIMIT), str(os.getpid())],
            # (its stderr is dropped: a library's warnings or a dying child's traceback are not the user's; what
            # went wrong comes back as the answer, and becomes the rejection's reason)
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, close_fds=True,
        )  # fmt: skip

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                proc.kill()
            except OSError:
                pass
            proc.wait()
            for f in (proc.stdin, proc.stdout):
                if f is not None:
                    f.close()

    def call(self, func: str, args: tuple[Any, ...], limit: float | None) -> Any:
        if self.proc is None or self.proc.poll() is not None:
            self.kill()
            self.proc = self._start()
        proc = self.proc
        assert proc.stdin is not None and proc.stdout is not None
        deadline = None if not limit else time.monotonic() + limit
        payload = pickle.dumps((func, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            proc.stdin.write(_HEADER.pack(len(payload)) + payload)
            proc.stdin.flush()
            header = self._read(proc, _HEADER.size, deadline)
            body = self._read(proc, _HEADER.unpack(header)[0], deadline)
        except SandboxTimeout:
            self.kill()
            raise
        except (BrokenPipeError, EOFError, OSError) as e:
            code = proc.poll()
            self.kill()
            if code is not None and code < 0 and -code == signal.SIGKILL:
                raise SandboxMemory("the reader process was killed (out of memory?)") from e
            raise SandboxCrash(f"the reader process died (exit status {code})") from e
        status, value = pickle.loads(body)
        if status == "ok":
            return value
        self.kill()  # a fresh child after any failure: a MemoryError may leave the heap fragmented
        if status == "memory":
            raise SandboxMemory(value)
        raise SandboxCrash(value)

    @staticmethod
    def _read(proc: subprocess.Popen[bytes], n: int, deadline: float | None) -> bytes:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        chunks: list[bytes] = []
        got = 0
        while got < n:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                raise SandboxTimeout()
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                raise SandboxTimeout()
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise EOFError("the reader process closed its output")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)


def _child(memory: int, parent: int) -> None:
    """The child's loop: read a request, run it, write the answer; exit when the parent goes."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above ran
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print in a library must not corrupt the answers
    try:
        import marsad.readers.html  # noqa: F401  (the imports happen before the memory cap)
    except ImportError:
        pass
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):
        pass
    # built before any page is read: when memory runs out, even formatting a message can fail
    out_of_memory = pickle.dumps(("memory", f"reading needed more than {memory / 2**20:.0f} MB of memory"))
    out_of_memory = _HEADER.pack(len(out_of_memory)) + out_of_memory
    while True:
        header = inp.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        try:
            func, args = pickle.loads(inp.read(_HEADER.unpack(header)[0]))
            try:
                answer: tuple[str, Any] = ("ok", _resolve(func)(*args))
            except RecursionError:
                answer = ("error", "RecursionError: input too deeply nested")
            except MemoryError:
                raise
            except Exception as e:  # noqa: BLE001 - reported to the parent, which turns it into a rejection
                answer = ("error", f"{type(e).__name__}: {e}")
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            data = _HEADER.pack(len(data)) + data
        except MemoryError:
            data = out_of_memory
        out.write(data)
        out.flush()


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]))
