"""Propagators: from an orbit spec or element set to a :class:`~orbitlink.track.Track`.

The entry points every analysis and command uses:

- :func:`propagate`: an :class:`~orbitlink.orbits.OrbitSet` or
  :class:`~orbitlink.elements.ElementSet` on a time grid -> a Track;
- :func:`as_track`: "a source" as the analyses take it (an orbit spec string
  such as ``"550km"`` or ``"sso:650km"``, an OrbitSet, an ElementSet or a
  Track) -> a Track; :func:`as_source` reads the spec string only, for
  analyses that propagate in their own way;
- :func:`resolve`: the ONE place that turns ``propagator="auto"`` into a
  concrete propagator and rejects impossible pairs (SGP4 for a designed
  orbit, an analytic propagator for TLE mean elements);
- :func:`default_start`: where a run starts when the user gives no start.

The propagators themselves (imported on use, so ``import orbitlink`` stays cheap):

- :mod:`.analytic`: two-body / J2-secular for designed orbits (fast default);
- :mod:`.sgp4`: SGP4 for TLE/OMM element sets;
- :mod:`.poliastro`: hapsira (poliastro fork) Cowell propagation, optional extra.

``Track.propagator`` names the propagator that ran, in the words of
:data:`PROPAGATORS`: ``"analytic"`` (J2-secular), ``"two-body"``, ``"sgp4"``,
or ``"poliastro-cowell"`` / ``"poliastro-kepler"`` (hapsira's method appended).
``propagator="auto"`` never appears there: it is resolved first.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from astropy.time import Time

from ..errors import OrbitSpecError
from ..orbits import OrbitSet
from ..times import TimeGrid, time_grid
from ..track import Track

#: The accepted values of every ``propagator=`` argument and ``--propagator`` option.
PROPAGATORS = ("auto", "analytic", "two-body", "sgp4", "poliastro")


def _is_element_set(source) -> bool:
    return hasattr(source, "satrecs")


def resolve(source, propagator: str = "auto") -> str:
    """The concrete propagator for ``source``: ``"analytic"``, ``"two-body"``, ``"sgp4"`` or ``"poliastro"``.

    ``"auto"`` means analytic J2-secular for designed orbits (an OrbitSet) and
    SGP4 for element sets (TLE/OMM).  Raises OrbitSpecError naming
    ``propagator`` for an unknown name or an impossible pair.  For a Track
    (already propagated) the answer is its own ``propagator``; asking for
    another one is an error.
    """
    if propagator not in PROPAGATORS:
        raise OrbitSpecError(f"propagator: {propagator!r} is not one of {', '.join(PROPAGATORS)}")
    if isinstance(source, Track):
        # Already propagated: "auto" keeps what ran; anything else is a contradiction.
        if propagator == "auto" or source.propagator.startswith(propagator):
            return source.propagator
        raise OrbitSpecError(f"propagator: the track was propagated with {source.propagator}, not {propagator}")
    designed = isinstance(source, OrbitSet)
    if not designed and not _is_element_set(source):
        raise OrbitSpecError(f"source: expected an OrbitSet or ElementSet, not {type(source).__name__}")
    if propagator == "auto":
        return "analytic" if designed else "sgp4"
    if designed and propagator == "sgp4":
        raise OrbitSpecError("propagator: sgp4 needs TLE/OMM element sets; designed orbits use "
                             "analytic, two-body or poliastro")
    if not designed and propagator != "sgp4":
        raise OrbitSpecError(f"propagator: element sets (TLE/OMM) are mean elements for SGP4 only, "
                             f"not {propagator}")
    return propagator


def default_start(source) -> Time:
    """Where a run starts when the user gives no ``start``.

    Element sets start at their newest epoch (SGP4 is most accurate near it);
    designed orbits start at their epoch if they have one, else now, to the
    whole minute; a Track starts where its grid does.
    """
    if isinstance(source, Track):
        return source.grid.start
    if isinstance(source, OrbitSet):
        if source.epoch is not None:
            return source.epoch
        now = Time.now().utc
        return Time(np.floor(now.mjd * 1440.0) / 1440.0, format="mjd", scale="utc")
    jd = float(np.max(source.epoch_jd))
    return Time(np.ceil((jd - 2400000.5) * 1440.0) / 1440.0, format="mjd", scale="utc")


def propagate(source, grid: TimeGrid | None = None, *, start=None, duration="24h",
              step="60s", propagator: str = "auto") -> Track:
    """Propagate an orbit spec string (``"550km"``, ``"sso:650km"``), an :class:`OrbitSet`
    or an :class:`~orbitlink.elements.ElementSet`.

    Either pass a ``grid`` or ``start`` (default: see :func:`default_start`),
    ``duration`` and ``step``.  ``propagator`` is ``"auto"`` (analytic
    J2-secular for designed orbits, SGP4 for element sets), ``"analytic"``,
    ``"two-body"``, ``"sgp4"`` or ``"poliastro"`` (hapsira Cowell with J2);
    see :func:`resolve`.
    """
    if isinstance(source, Track):
        raise OrbitSpecError("source: already a Track; use as_track() to accept tracks as they are")
    if isinstance(source, str):        # an orbit spec, as `orbitlink track --orbit` takes it
        source = as_source(source, start=start if grid is None else None)
    name = resolve(source, propagator)
    if grid is None:
        grid = time_grid(default_start(source) if start is None else start, duration, step,
                         satellites=len(source))
    if name == "sgp4":
        from . import sgp4

        track = sgp4.propagate(source, grid)
    elif name == "poliastro":
        from . import poliastro

        track = poliastro.propagate(source, grid)
    else:
        from . import analytic

        track = analytic.propagate(source, grid, j2=(name == "analytic"))
    return mask_non_finite(track)


MASK_CHUNK_SATELLITES = 256


def mask_non_finite(track: Track) -> Track:
    """``track`` with every sample whose position or velocity is not finite marked invalid,
    one message per satellite affected (issue 19: elements that overflow gave NaN rows that
    were reported as valid).  Checked in blocks of satellites to bound the temporary memory."""
    valid = track.valid
    fresh = []
    for lo in range(0, track.n_satellites, MASK_CHUNK_SATELLITES):
        hi = min(lo + MASK_CHUNK_SATELLITES, track.n_satellites)
        ok = np.ones((hi - lo, track.n_times), bool)
        for arr in (track.r_gcrs_m, track.v_gcrs_m_s, track.r_itrs_m, track.v_itrs_m_s):
            ok &= np.isfinite(arr[:, lo:hi]).all(axis=0)
        bad = valid[lo:hi] & ~ok
        if bad.any():
            if valid is track.valid:
                valid = track.valid.copy()
            valid[lo:hi] &= ok
            fresh.extend((lo + s, int(n)) for s, n in zip(*np.unique(np.nonzero(bad)[0], return_counts=True)))
    if not fresh:
        return track
    messages = tuple(f"{track.names[s]}: {n} of {track.n_times} samples are not finite numbers; masked" for s, n in fresh)
    return dataclasses.replace(track, valid=valid, messages=tuple(track.messages) + messages)


def as_source(source, *, start=None, field: str = "source"):
    """"A source" as the analyses take it, with an orbit spec string read.

    An orbit spec string (``"550km"``, ``"sso:650km"``, ``"sso:650km:10:30"``;
    see :func:`orbitlink.orbits.parse_orbit`, defined at ``start`` if given)
    becomes an OrbitSet; an OrbitSet, ElementSet or Track is returned as it is.
    Anything else, or a spec that does not read, raises OrbitSpecError naming
    ``field``.  For analyses that choose how to propagate themselves (the
    eclipse engine, the Dask runs); the others call :func:`as_track`.
    """
    if isinstance(source, str):
        from ..orbits import parse_orbit
        from ..times import parse_time

        epoch = None if start is None else parse_time(start, "start")
        try:
            return parse_orbit(source, epoch=epoch)
        except OrbitSpecError as exc:      # "orbit: cannot read ..." -> the argument's name
            raise OrbitSpecError(f"{field}: {str(exc).removeprefix('orbit: ')}") from None
    if isinstance(source, (OrbitSet, Track)) or _is_element_set(source):
        return source
    raise OrbitSpecError(f"{field}: expected an orbit spec (550km, sso:650km), OrbitSet, ElementSet or "
                         f"Track, not {type(source).__name__}")


def as_track(source, grid: TimeGrid | None = None, *, start=None, duration="24h", step="60s",
             propagator: str = "auto", field: str = "source") -> Track:
    """A Track from "a source" as the analyses take it.

    ``source`` is an orbit spec string (``"550km"``, ``"sso:650km"``,
    ``"sso:650km:10:30"``; see :func:`as_source`), an OrbitSet, an ElementSet or
    a Track.  A Track is returned as it is (its own grid; ``grid``, ``start``,
    ``duration`` and ``step`` are ignored, and ``propagator`` must be ``"auto"``
    or the one it was made with); the others are propagated by :func:`propagate`.
    """
    source = as_source(source, start=None if grid is not None else start, field=field)
    if isinstance(source, Track):
        resolve(source, propagator)
        return source
    return propagate(source, grid, start=start, duration=duration, step=step, propagator=propagator)


__all__ = ["PROPAGATORS", "as_source", "as_track", "default_start", "mask_non_finite", "propagate", "resolve"]
