"""docs/cli.md against the commands (issue 18): one option name per concept, the earlier
names still accepted as aliases of the same option, the short flags users expect."""

from __future__ import annotations

import re

import click
import pytest

from orbitlink.cli.main import _register, app

from .conftest import ROOT

PAGE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def _command(name: str) -> click.Command:
    _register()
    cmd = app
    for part in name.split():
        cmd = cmd.commands[part]
    return cmd


def _option(cmd: click.Command, flag: str) -> click.Option | None:
    for p in cmd.params:
        if isinstance(p, click.Option) and flag in p.opts + p.secondary_opts:
            return p
    return None


def _table(heading: str) -> list[list[str]]:
    section = PAGE.split(heading, 1)[1]
    rows = []
    for line in section.splitlines()[1:]:
        if rows and not line.startswith("|"):
            break                               # the first table of the section only
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows[1:]      # without the header


CONCEPTS = _table("## One name per concept")


@pytest.mark.parametrize("row", CONCEPTS, ids=[r[0] for r in CONCEPTS])
def test_every_command_uses_the_one_name(row):
    concept, options, commands, earlier = row
    flags = re.findall(r"--[a-z][a-z-]*", options)
    aliases = re.findall(r"--[a-z][a-z-]*", earlier)
    where = re.search(r"\((.*)\)", earlier)      # the commands that had the earlier name
    had_alias = {c.strip() for c in where.group(1).split(",")} if where else None
    assert flags, concept
    for name in (c.strip() for c in commands.split(",")):
        if name == "every command with a table":
            continue
        cmd = _command(name)
        for flag in flags:
            option = _option(cmd, flag)
            assert option is not None, (name, flag)
        for alias in aliases if had_alias is None or name in had_alias else ():
            # the earlier name reaches the same option as the current one
            assert _option(cmd, alias) is _option(cmd, flags[0]), (name, alias)


def test_json_and_csv_on_every_command_with_a_table():
    _register()
    for name in ("track", "eclipse", "passes", "coverage", "stations list", "stations select", "latency",
                 "budget", "schedule", "design"):
        cmd = _command(name)
        assert _option(cmd, "--json") and _option(cmd, "--csv"), name


@pytest.mark.parametrize("row", _table("## Short flags"), ids=lambda r: r[0])
def test_short_flags(row):
    short, long, where = (c.strip("`") for c in row)
    cmd = app if where in ("everywhere", "orbitlink") else _command(where)
    _register()
    if long == "--help":                 # click's own option, set for the group and every command
        assert app.context_settings["help_option_names"] == [short, long]
        return
    option = _option(cmd, short)
    assert option is not None and long in option.opts + option.secondary_opts, (short, where)


def test_alike_names_are_different_options():
    _register()
    assert _option(_command("eclipse"), "--cell-efficiency") is None
    assert _option(_command("datacenter"), "--array-efficiency") is None
    assert _option(_command("eclipse"), "--efficiency") is _option(_command("eclipse"), "--array-efficiency")


def test_short_flags_work(run_cli):
    assert run_cli("-V").code == 0
    assert run_cli("latency", "-h").code == 0
    result = run_cli("stations", "select", "--orbit", "550km", "-k", "1", "--stations", "ksat",
                     "--start", "2026-01-01", "--duration", "3h", "--json")
    assert result.code == 0, result.err
