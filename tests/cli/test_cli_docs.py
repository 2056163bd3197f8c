"""Every click command has help text and appears in the README."""

import click

from pipeline.cli import main
from tests.support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "txplan") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, full))
    return found


def test_every_command_has_help_and_is_in_readme() -> None:
    commands = _commands(main)
    assert commands, "no commands registered"
    for full, command in commands:
        assert (command.help or "").strip(), f"{full} has no help text"
        assert f"`{full}" in README, f"{full} is not documented in README.md"


def test_every_option_is_in_readme() -> None:
    for full, command in _commands(main):
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                longest = max(param.opts, key=len)
                if longest in ("--help", "--version"):
                    continue
                assert longest in README, f"{full} option {longest} is not in README.md"
