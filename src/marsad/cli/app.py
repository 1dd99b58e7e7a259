"""The ``marsad`` command group. Each room adds its commands in its own module under ``marsad.cli``."""

from __future__ import annotations

import functools
import os
import re
import sys

import click

from marsad.errors import MarsadError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class MarsadGroup(click.Group):
    def main(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        """Click's usage errors (bad option, missing argument, invalid value) as one line, like every other
        user error: ``marsad: error: [E_USAGE] …`` and exit 2."""
        kwargs.pop("standalone_mode", None)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as e:
            msg = " ".join(e.format_message().split())
            cmd = e.ctx.command_path if e.ctx is not None else "marsad"
            own = re.search(r"\[(E_[A-Z0-9_]+)\] ?", msg)  # our own code (E_DATE, E_FIELD) says more
            msg = f"[{own.group(1)}] {msg[: own.start()]}{msg[own.end() :]}" if own else f"[E_USAGE] {msg}"
            click.echo(f"marsad: error: {msg} (see '{cmd} --help')", err=True)
            sys.exit(2)
        except click.ClickException as e:
            click.echo(f"marsad: error: {' '.join(e.format_message().split())}", err=True)
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("marsad: aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MarsadError as e:  # user errors: one line, no traceback
            click.echo(f"marsad: error: {e}", err=True)
            sys.exit(2)
        except BrokenPipeError:  # `marsad ... | head`
            sys.stderr.close()
            sys.exit(0)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as e:  # a bug: one line for the user, the traceback only on request
            if os.environ.get("MARSAD_DEBUG"):
                raise
            user = user_error_message(e)
            if user is not None:  # the machine or the arguments, not marsad: say what to fix, exit 1
                click.echo(f"marsad: error: {user}", err=True)
                sys.exit(1)
            click.echo(f"marsad: internal error: {type(e).__name__}: {e} (set MARSAD_DEBUG=1 for the traceback)",
                       err=True)
            sys.exit(70)


@click.group(cls=MarsadGroup, context_settings=CONTEXT)
@click.version_option(package_name="marsad")
@click.pass_context
def main(ctx: click.Context) -> None:
    """marsad (مرصد): Arabic news in; articles, entities, quotes and PLOVER events out.

    \b
    Quick start:
      marsad process examples/articles/*.txt --format text
      marsad ingest examples/articles --db marsad.db && marsad search الصين --db marsad.db

    Every command but 'train' runs numpy with one BLAS thread (set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS to
    choose another count); 'train' sets torch's threads itself.
    """
    if ctx.invoked_subcommand != "train":
        from marsad.threads import one_math_thread

        one_math_thread()


def user_error_message(e: BaseException) -> str | None:
    """The one-line message for an exception that is the user's or the machine's doing, not a bug in marsad:
    arguments that are not valid UTF-8, files that cannot be opened or written, a full disk, a database that
    cannot be opened or is locked. None for anything else (that stays an "internal error", exit 70)."""
    import errno
    import sqlite3

    chain: list[BaseException] = []
    cur: BaseException | None = e
    while cur is not None and len(chain) < 10:  # the cause first: a failed ROLLBACK must not hide "disk full"
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    for exc in reversed(chain):
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return "the disk is full (no space left on device); free space and re-run: nothing was half-written"
        if isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc):
            return "the disk is full (database or disk is full); free space and re-run: the open batch was rolled back"
    for exc in chain:
        if isinstance(exc, UnicodeEncodeError) and "surrogates not allowed" in str(exc):
            return ("an argument is not valid UTF-8 text (a byte such as \\xff); give names, ids and queries in "
                    "UTF-8")
        if isinstance(exc, OSError) and exc.errno is not None:
            name = exc.filename if isinstance(exc.filename, str) else ""
            from marsad.readers.base import escape_name

            where = f" {escape_name(name)}" if name else ""
            return f"cannot use{where}: {exc.strerror or exc}"
        if isinstance(exc, sqlite3.OperationalError):
            msg = str(exc)
            if any(k in msg for k in ("unable to open", "locked", "readonly", "disk I/O", "not a database")):
                return f"database: {msg}"
        if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
            return f"database: {exc}"
    return None


def user_errors(fn):
    """Turn MarsadError into a one-line message for commands called outside the group (tests)."""

    @functools.wraps(fn)
    def wrap(*a, **kw):
        try:
            return fn(*a, **kw)
        except MarsadError as e:
            raise click.ClickException(str(e)) from e

    return wrap


@main.group("train", context_settings=CONTEXT)
def train_group() -> None:
    """Train the models that ship with marsad (reproducibly, from ../shared/data)."""


@main.group("eval", context_settings=CONTEXT)
def eval_group() -> None:
    """Measure marsad against labelled data (NER benchmarks, duplicate/story pairs)."""
