"""The service options every inference verdict takes: who uses the compute satellites, over which
links, against which targets.

``latency``, ``datacenter`` (and ``design``) add them with :func:`service_options` and read them
with :func:`read_service`, so every command's verdict comes from the same options and the same
code path (:func:`orbitlink.link.latency.round_trip`).  Each value is read here with the
option's own name, so an error says ``--route-factor``, not ``route_factor``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from . import common as c

DEFAULT_GATEWAYS = "starlink-gateways"

# The keyword names click gives the command function for these options.
SERVICE_KEYS = ("user", "users", "direct", "isl", "relay", "relay_walker", "relay_tle", "isl_max_range", "to",
                "station", "stations", "min_elevation", "max_gsl_range", "max_backhaul", "slo",
                "availability_target", "processing", "route_factor", "fibre_index")

__all__ = ["DEFAULT_GATEWAYS", "SERVICE_KEYS", "Service", "check_option", "exit_for_check", "read_service",
           "service_options"]

# For CI pipelines of constellation designs: the verdict as the exit code.
check_option = click.option(
    "--check", is_flag=True,
    help="Exit 1 when the verdict is 'not workable' (0 when workable, 2 for bad input), after printing "
         "the usual output: for CI pipelines of designs.")


def exit_for_check(check: bool, workable: bool) -> None:
    """With --check, a verdict of 'not workable' ends the command with exit code 1."""
    if check and not workable:
        raise click.exceptions.Exit(1)

_OPTIONS = [
    click.option("--user", "user", multiple=True,
                 help="A user: a city of the bundled top-100 list, LAT,LON or CATALOG:NAME (repeatable). "
                      "Default: every gateway is its own user."),
    click.option("--users", help="Many users: 'cities' (the bundled top-100 cities), a station catalog or a "
                                 "CSV/GeoJSON file."),
    click.option("--direct", is_flag=True, help="Users (and the --to data center) have their own satellite "
                                                "terminals: no fibre to a gateway."),
    click.option("--isl", type=click.Choice(["none", "grid", "nearest"]), default="none", show_default=True,
                 help="Inter-satellite links: 'grid' is the published +Grid (four fixed links per satellite: "
                      "in-plane neighbours and the same slot in each adjacent plane); 'nearest' re-picks the "
                      "nearest satellite of each adjacent plane every step (assumes instant re-pointing)."),
    click.option("--relay", type=click.Choice(["geo"]), help="A GEO bent-pipe relay over each user's longitude."),
    click.option("--relay-walker", help="A relay constellation T/P/F[:ALTITUDE[:INCLINATION]], e.g. "
                                        "66/6/1:780km:86.4deg."),
    click.option("--relay-tle", help="A relay constellation from a TLE/OMM file."),
    click.option("--isl-max-range", default="5000km", show_default=True, help="Longest inter-satellite link."),
    click.option("--to", help="Far end is a terrestrial data center: a city, LAT,LON or CATALOG:NAME "
                              "(compares with fibre)."),
    click.option("--station", multiple=True, help="A gateway: NAME or LAT,LON[,ALT_M] (repeatable)."),
    click.option("--stations", multiple=True, help="Gateways: a catalog name or CSV/GeoJSON file "
                                                   f"(default: the bundled {DEFAULT_GATEWAYS} catalog)."),
    click.option("--min-elevation", default="25deg", show_default=True,
                 help="Elevation mask for every ground link."),
    click.option("--max-gsl-range", help="Admit ground links by slant range instead of elevation "
                                         "(Hypatia's rule), e.g. 1260km."),
    click.option("--max-backhaul", default="1000km", show_default=True,
                 help="Farthest gateway a user (or the --to data center) reaches over fibre, great-circle; "
                      "'any' for no limit."),
    click.option("--slo", default="100ms", show_default=True, help="Inference round-trip target (p99)."),
    # --availability is the name every command uses for an availability target (budget: of the
    # link through the ITU-R atmosphere); --availability-target is its earlier name, still accepted.
    click.option("--availability", "--availability-target", "availability_target", default="99.9%",
                 show_default=True, help="Availability needed for a workable verdict (percent or fraction)."),
    click.option("--processing", default="0ms", show_default=True, help="Processing delay per space hop, each way."),
    click.option("--route-factor", default="1.5", show_default=True, help="Fibre route length / great circle."),
    click.option("--fibre-index", default="1.468", show_default=True, help="Group index of the fibre (speed c/n)."),
]


def service_options(func):
    """The click options of :data:`SERVICE_KEYS`, in help order."""
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


@dataclass
class Service:
    """The service as :func:`orbitlink.link.latency.round_trip` takes it: ``options`` are its
    keyword arguments; ``relay`` None, ``"geo"`` or a relay source with ``relay_propagator``."""

    options: dict = field(default_factory=dict)
    relay: object = None
    relay_propagator: str = "auto"


def read_service(kwargs: dict) -> Service:
    """Pop the :data:`SERVICE_KEYS` from a command's ``kwargs`` and read them, with the options'
    own names in every error, before any propagation."""
    import math

    import astropy.units as u

    from ..errors import LatencyError
    from ..link.latency import read_max_backhaul
    from ..places import place, places
    from ..stations import load_catalog, resolve_stations
    from ..units import fraction, number, to_si

    k = {key: kwargs.pop(key) for key in SERVICE_KEYS}
    relays = [x for x in (k["relay"], k["relay_walker"], k["relay_tle"]) if x is not None]
    if len(relays) > 1:
        raise LatencyError("relay: give one of --relay geo, --relay-walker, --relay-tle")
    options = dict(
        gateways=(resolve_stations(k["station"], k["stations"]) if k["station"] or k["stations"]
                  else load_catalog(DEFAULT_GATEWAYS)),
        users=places(k["user"], "user", collection=k["users"]),
        to=place(k["to"], "to") if k["to"] is not None else None,
        direct=bool(k["direct"]),
        isl=None if k["isl"] == "none" else k["isl"],
        isl_max_range=to_si(k["isl_max_range"], "length", "isl-max-range", lo=0 * u.m, lo_inclusive=False) * u.m,
        min_elevation=to_si(k["min_elevation"], "angle", "min-elevation", lo=0 * u.deg, hi=90 * u.deg) * u.rad,
        max_gsl_range=(None if k["max_gsl_range"] is None else
                       to_si(k["max_gsl_range"], "length", "max-gsl-range", lo=0 * u.m, lo_inclusive=False) * u.m),
        max_backhaul=None if math.isinf(backhaul_m := read_max_backhaul(k["max_backhaul"], "max-backhaul"))
        else backhaul_m * u.m,
        slo=to_si(k["slo"], "time", "slo", lo=0 * u.s, lo_inclusive=False) * u.s,
        availability_target=fraction(k["availability_target"], "availability", lo=0.0,
                                     lo_inclusive=False, example="99.9% or 0.999"),
        processing=to_si(k["processing"], "time", "processing", lo=0 * u.s) * u.s,
        route_factor=number(k["route_factor"], "route-factor", lo=1.0),
        fibre_index=number(k["fibre_index"], "fibre-index", lo=1.0),
    )
    service = Service(options)
    if k["relay"] == "geo":
        service.relay = "geo"
    elif k["relay_walker"] is not None:
        from ..orbits import parse_walker_shell

        service.relay = parse_walker_shell(k["relay_walker"], field="relay-walker", name="relay")
    elif k["relay_tle"] is not None:
        from ..elements import load_elements

        service.relay, service.relay_propagator = load_elements(k["relay_tle"]), "sgp4"
        for skipped in service.relay.skipped:
            c.warn(f"relay: skipped {skipped}")
    return service

