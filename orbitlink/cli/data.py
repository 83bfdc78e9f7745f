"""``orbitlink data list``: the files orbitlink bundles, by the names the options take."""

from __future__ import annotations

import click

from . import common as c


@click.group()
def data() -> None:
    """The data bundled with orbitlink (element sets, constellations, station catalogs, tables)."""


@data.command("list")
@click.option("--kind", type=click.Choice(["tle", "constellation", "stations", "modcod", "coastline"]),
              help="Only files of this kind.")
@click.option("--json", "json_out", is_flag=True, help="Print one JSON object on stdout.")
def list_(kind, json_out) -> None:
    """List the bundled files with their source and licence.

    A name is what the options take: --tle NAME, --constellation NAME,
    --stations NAME.
    """
    from ..data import samples

    rows = [s for s in samples() if kind is None or s.kind == kind]
    if json_out:
        c.print_json({"count": len(rows), "samples": [s.to_dict() for s in rows]})
        return
    from rich.table import Table

    table = Table(title=f"orbitlink data: {len(rows)} bundled files")
    for col in ("name", "kind", "what", "source", "licence"):
        table.add_column(col, overflow="fold")
    for s in rows:
        table.add_row(s.name, s.kind, s.what, s.source, s.licence)
    c.stdout_console().print(table)
    if kind in (None, "tle", "constellation", "stations"):
        print("Use a name as --tle NAME, --constellation NAME or --stations NAME; "
              "the files are in " + str(rows[0].path.parent.parent if rows else ""))
