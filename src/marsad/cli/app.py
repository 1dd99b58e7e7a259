"""The ``marsad`` command group. Each room adds its commands in its own module under ``marsad.cli``."""

from __future__ import annotations

import functools
import os
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
            if not msg.startswith("[E"):
                msg = f"[E_USAGE] {msg}"
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
            click.echo(f"marsad: internal error: {type(e).__name__}: {e} (set MARSAD_DEBUG=1 for the traceback)",
                       err=True)
            sys.exit(70)


@click.group(cls=MarsadGroup, context_settings=CONTEXT)
@click.version_option(package_name="marsad")
def main() -> None:
    """marsad (مرصد): Arabic news in; articles, entities, quotes and PLOVER events out.

    \b
    Quick start:
      marsad process examples/articles/*.txt --format text
      marsad ingest examples/articles --db marsad.db && marsad search الصين --db marsad.db
    """


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
