"""The high-level API: from an orbit spec or element set to a Track in one call."""

from __future__ import annotations

import numpy as np
from astropy.time import Time

from .errors import OrbitSpecError
from .orbits import OrbitSet
from .times import TimeGrid, time_grid
from .track import Track

PROPAGATORS = ("auto", "analytic", "two-body", "sgp4", "poliastro")


def default_start(source) -> Time:
    """Where a run starts when the user gives no ``start``.

    Element sets start at their newest epoch (SGP4 is most accurate near it);
    designed orbits start now, to the whole minute.
    """
    if isinstance(source, OrbitSet):
        if source.epoch is not None:
            return source.epoch
        now = Time.now().utc
        return Time(np.floor(now.mjd * 1440.0) / 1440.0, format="mjd", scale="utc")
    jd = float(np.max(source.epoch_jd))
    return Time(np.ceil((jd - 2400000.5) * 1440.0) / 1440.0, format="mjd", scale="utc")


def propagate(source, grid: TimeGrid | None = None, *, start=None, duration="24h",
              step="60s", propagator: str = "auto") -> Track:
    """Propagate an :class:`OrbitSet` or :class:`~orbitlink.elements.ElementSet`.

    Either pass a ``grid`` or ``start`` (default: see :func:`default_start`),
    ``duration`` and ``step``.  ``propagator`` is ``"auto"`` (analytic
    J2-secular for designed orbits, SGP4 for element sets), ``"analytic"``,
    ``"two-body"``, ``"sgp4"`` or ``"poliastro"`` (hapsira Cowell with J2).
    """
    if propagator not in PROPAGATORS:
        raise OrbitSpecError(f"propagator: {propagator!r} is not one of {', '.join(PROPAGATORS)}")
    if grid is None:
        grid = time_grid(default_start(source) if start is None else start, duration, step,
                         satellites=len(source))
    designed = isinstance(source, OrbitSet)
    if propagator == "auto":
        propagator = "analytic" if designed else "sgp4"
    if designed and propagator == "sgp4":
        raise OrbitSpecError("propagator: sgp4 needs TLE/OMM element sets; designed orbits use analytic, two-body or poliastro")
    if not designed and propagator != "sgp4":
        raise OrbitSpecError(f"propagator: element sets (TLE/OMM) are mean elements for SGP4 only, not {propagator}")
    if propagator == "sgp4":
        from .propagators import sgp4

        return sgp4.propagate(source, grid)
    if propagator == "poliastro":
        from .propagators import poliastro

        return poliastro.propagate(source, grid)
    from .propagators import analytic

    return analytic.propagate(source, grid, j2=(propagator == "analytic"))
