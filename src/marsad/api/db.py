"""Read access to a marsad store for the HTTP server.

Each worker thread keeps one SQLite connection with ``query_only`` on: the read routes cannot write whatever SQL
they run, and readers never block the writer (the store uses WAL). Writes (POST /api/ingest) go through
:class:`marsad.store.Store` under one lock, the store's one-writer rule.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from marsad.errors import ConfigError

MISS = _MISS = object()  # what memo_peek returns when nothing is kept


class Database:
    def __init__(self, path: str | Path, *, memo_size: int = 2048) -> None:
        self.path = Path(path)
        self.wal = Path(str(self.path) + "-wal")
        self.memo_size = memo_size
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._memo_stamp: tuple[int, ...] = ()
        if not self.path.is_file():
            raise ConfigError(f"no marsad store at {self.path} (create one with `marsad ingest ... --db {self.path}`)")
        self._local = threading.local()
        self._tables: tuple[float, frozenset[str]] = (0.0, frozenset())
        self._cache: dict[str, tuple[float, int, Any]] = {}
        self._key_locks: dict[str, threading.RLock] = {}
        self._cache_lock = threading.Lock()
        self.write_lock = threading.Lock()

    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            c.row_factory = sqlite3.Row
            c.execute("PRAGMA query_only = 1")
            c.execute("PRAGMA cache_size = -32000")  # 32 MB page cache per reader
            # map the whole file (1 GiB of address space, shared by all threads through the OS page cache): page
            # reads are then memory reads, not read() copies into each connection's cache
            c.execute("PRAGMA mmap_size = 1073741824")
            c.execute("PRAGMA temp_store = MEMORY")  # ORDER BY over a ranked window sorts in memory
            self._local.conn = c
        return c

    def tables(self) -> frozenset[str]:
        """Table names, re-read every few seconds: the dedup room's tables may appear after the server starts."""
        at, names = self._tables
        if time.monotonic() - at > 5:
            rows = self.conn().execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            names = frozenset(r[0] for r in rows)
            self._tables = (time.monotonic(), names)
        return names

    def has(self, *tables: str) -> bool:
        have = self.tables()
        return all(t in have for t in tables)

    def data_version(self) -> int:
        """Changes when any connection commits (cheap: one pragma) — the key for cached aggregates."""
        row = self.conn().execute("SELECT count(*), max(rowid) FROM articles").fetchone()
        return hash((row[0], row[1]))

    def cached(self, key: str, compute: Callable[[], Any], *, ttl: float = 30.0) -> Any:
        """Aggregates that scan a lot (actor index, global graph) are kept until the store changes or ``ttl``.
        One thread computes a missing value; the others asking for it meanwhile wait for it (32 clients whose
        cached /api/stats expired at once each recomputed it)."""
        now = time.monotonic()
        with self._cache_lock:
            hit = self._cache.get(key)
        if hit and now - hit[0] < ttl:
            return hit[2]
        with self._cache_lock:
            key_lock = self._key_locks.setdefault(key, threading.RLock())
        with key_lock:
            with self._cache_lock:
                again = self._cache.get(key)
            if again is not hit and again and time.monotonic() - again[0] < ttl:
                return again[2]  # computed by another thread while this one waited
            return self._refresh(key, compute, again)

    def _refresh(self, key: str, compute: Callable[[], Any], hit: tuple[float, int, Any] | None) -> Any:
        now = time.monotonic()
        version = self.data_version()
        if hit and hit[1] == version:
            with self._cache_lock:
                self._cache[key] = (now, version, hit[2])
            return hit[2]
        value = compute()
        with self._cache_lock:
            self._cache[key] = (now, version, value)
        return value

    def stamp(self) -> tuple[int, ...]:
        """Changes whenever the store is written: size and mtime of the database and its WAL (one stat each)."""
        out: list[int] = []
        for p in (self.path, self.wal):
            try:
                st = os.stat(p)
                out += [st.st_size, st.st_mtime_ns]
            except FileNotFoundError:
                out += [0, 0]
        return tuple(out)

    def memo_peek(self, key: Hashable) -> Any:
        """The kept answer for ``key`` (as :meth:`memo` would return it), or ``MISS``."""
        if not self.memo_size:
            return MISS
        stamp = self.stamp()
        with self._cache_lock:
            if stamp != self._memo_stamp:
                return MISS
            hit = self._memo.get(key, MISS)
            if hit is not MISS:
                self._memo.move_to_end(key)
            return hit

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """Answers of read queries, kept while the store is unchanged (LRU of ``MEMO_SIZE``). Popular searches
        are served from memory; any write (ingest, another process) changes :meth:`stamp` and empties it."""
        if not self.memo_size:
            return compute()
        stamp = self.stamp()
        with self._cache_lock:
            if stamp != self._memo_stamp:
                self._memo.clear()
                self._memo_stamp = stamp
            hit = self._memo.get(key, _MISS)
            if hit is not _MISS:
                self._memo.move_to_end(key)
                return hit
        value = compute()
        with self._cache_lock:
            if stamp == self._memo_stamp:
                self._memo[key] = value
                if len(self._memo) > self.memo_size:
                    self._memo.popitem(last=False)
        return value

    def invalidate(self) -> None:
        with self._cache_lock:
            self._cache.clear()
            self._memo.clear()
        self._tables = (0.0, frozenset())
