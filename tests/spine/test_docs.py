"""Every CLI command has help text and appears in the README (sqlite-utils' tests/test_docs.py habit)."""

from pathlib import Path

import click
import pytest

from marsad.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "marsad"):
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        yield full, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, full)


@pytest.mark.parametrize("full,cmd", list(_commands(main)), ids=lambda x: x if isinstance(x, str) else "")
def test_command_has_help_and_is_in_readme(full, cmd):
    assert (cmd.help or "").strip(), f"{full} has no help text"
    assert full in README, f"README does not mention `{full}`"
