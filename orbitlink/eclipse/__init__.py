"""Eclipses, beta angle, sunlight and the power they allow, for one satellite or a constellation.

What is computed
----------------
:func:`eclipses` runs over a time span in chunks and returns an
:class:`EclipseReport`: for every satellite the sunlit fraction (penumbra
counted by the visible fraction of the solar disk), the fractions of time in
umbra and penumbra, every eclipse's entry and exit (refined to a millisecond
between the grid samples, umbra and penumbra separately, intervals cut by the
window or by invalid samples flagged), the mean and longest eclipse, the
eclipse fraction per orbit, the beta-angle range, and the eclipse seasons
(date ranges with any eclipse, split where a satellite goes more than a day --
or 1.5 orbital periods -- without one).  :meth:`EclipseReport.power` turns a
report into the orbit-average power of a sun-tracking array and the battery
energy needed to ride the longest eclipse.

Smaller helpers work on a :class:`~orbitlink.track.Track` sample by sample:
:func:`beta_angle`, :func:`illuminated_fraction`, :func:`shadow_state`; and
:func:`analytic_eclipse_fraction` is the closed form for a circular orbit.

How
---
Shadow geometry is in :mod:`orbitlink.core.shadow` (cylindrical, and conical
after Montenbruck & Gill sec. 3.4.2, the default); the Sun is DE421's apparent
position (:mod:`orbitlink.sun`), interpolated once per time step and shared by
all satellites.  Each chunk of time steps is classified sample by sample, sign
changes of the shadow functions bracket the crossings, a vectorized Illinois
root finder refines them (to 1 ms) on the exact geometry between samples, and
grazing eclipses shorter than a step are caught at local minima of the shadow
function.  Interval bookkeeping is carried from chunk to chunk per satellite,
so memory is bounded by the chunk, not the span.

Positions come from one of three sources (:mod:`.sources`):

- a :class:`Track` you already have (positions interpolated between samples
  with cubic Hermite polynomials from positions and velocities);
- designed *circular* orbits (analytic J2-secular or two-body): a closed form
  evaluated straight into ``r_hat . s_hat`` plane by plane, never forming the
  (3, S, T) positions (:mod:`orbitlink.core.eclipse_circular`);
- anything else (TLE/OMM element sets, eccentric orbits, hapsira Cowell):
  propagated chunk by chunk through :func:`orbitlink.propagators.propagate` on
  sub-grids (eccentric analytic orbits in GCRS only).

The package
-----------
``geometry`` (sample-wise helpers, closed forms), ``sources`` (position
sources), ``intervals`` (crossings paired into intervals across chunks),
``engine`` (the chunk loop and statistics), ``report`` (the result classes);
the numerics they share are pure numpy in :mod:`orbitlink.core.eclipse_kernels`
and :mod:`orbitlink.core.eclipse_circular`.
"""

from __future__ import annotations

from ..errors import EclipseError, OrbitSpecError, TimeGridError
from ..orbits import OrbitSet
from ..propagators import as_source, default_start, mask_non_finite
from ..sun import sun_table
from ..times import parse_time, time_grid
from ..track import Track
from ..units import count
from .engine import EclipseRun
from .geometry import (
    MODELS,
    analytic_eclipse_duration,
    analytic_eclipse_fraction,
    beta_angle,
    check_model,
    critical_beta,
    illuminated_fraction,
    shadow_state,
)
from .report import (
    SOLAR_CONSTANT,
    EclipseIntervals,
    EclipseReport,
    OrbitTable,
    PowerBudget,
    Season,
    parse_efficiency,
)
from .sources import SampledSource, circular_pad_s, is_circular, make_source

__all__ = [
    "MODELS", "SOLAR_CONSTANT", "EclipseError", "EclipseReport", "EclipseIntervals", "OrbitTable",
    "PowerBudget", "Season", "analytic_eclipse_fraction", "analytic_eclipse_duration", "beta_angle",
    "critical_beta", "eclipses", "illuminated_fraction", "parse_efficiency", "shadow_state",
]

# Elements (satellite-steps) per chunk: about 8 MB per float64 temporary.
CHUNK_ELEMENTS = 1_000_000


def eclipses(source, *, start=None, duration="365d", step="60s", model: str = "conical",
             propagator: str = "auto", detail: bool | None = None, apparent_sun: bool = True,
             chunk_elements: int = CHUNK_ELEMENTS, progress=None, shadow: str | None = None) -> EclipseReport:
    """Eclipse report for ``source`` over ``start + duration`` sampled every ``step``.

    ``source`` is a :class:`~orbitlink.track.Track` (its grid is used; ``start``,
    ``duration``, ``step`` and ``propagator`` are ignored), an orbit spec string
    (``"550km"``, ``"sso:650km"``), an :class:`~orbitlink.orbits.OrbitSet` or an
    :class:`~orbitlink.elements.ElementSet`.  ``start`` defaults as in
    :func:`orbitlink.propagators.default_start`.  ``model`` (or ``shadow``, the
    name of the CLI's ``--shadow``) is ``"conical"`` (umbra and penumbra) or
    ``"cylindrical"``.  ``propagator`` as in
    :func:`orbitlink.propagators.resolve`; the report names the one that ran.
    ``detail`` keeps every interval and a per-orbit table (default: for up to
    100 satellites); without it only the per-satellite statistics are kept,
    whatever the span.  ``progress``, if given, is called as
    ``progress("eclipses", fraction)`` (0..1) after every chunk.
    """
    if shadow is not None:
        if model not in ("conical", shadow):
            raise EclipseError(f"shadow: {shadow!r} contradicts model={model!r} (give one of them)")
        model = shadow
    check_model(model)
    chunk_elements = count(chunk_elements, "chunk_elements")
    source = as_source(source, start=start)
    if isinstance(source, Track):
        source = mask_non_finite(source)     # a NaN sample is no sunlight (issue 19)
        grid = source.grid
        if grid.size < 2:
            raise TimeGridError("duration: an eclipse analysis needs at least two time steps")
        sun = sun_table(grid.start, float(grid.t_s[0]), float(grid.t_s[-1]), apparent=apparent_sun)
        src = SampledSource(grid, sun, model, source.names, track=source)
        prop_name = source.propagator
        messages = list(source.messages)
    else:
        if not isinstance(source, OrbitSet) and not hasattr(source, "satrecs"):
            raise OrbitSpecError(f"source: expected a Track, OrbitSet or ElementSet, not {type(source).__name__}")
        start_t = default_start(source) if start is None else parse_time(start)
        grid = time_grid(start_t, duration, step, satellites=1)
        if grid.size < 2:
            raise TimeGridError(f"duration: {duration!r} is shorter than one step {step!r} "
                                "(an eclipse analysis needs at least two time steps)")
        pad_s = circular_pad_s(source) if is_circular(source, propagator) else 0.0
        sun = sun_table(grid.start, float(grid.t_s[0]), float(grid.t_s[-1]), apparent=apparent_sun, pad_s=pad_s)
        src, prop_name = make_source(source, grid, sun, model, propagator)
        messages = []
    if detail is None:
        detail = src.n_sat <= 100
    run = EclipseRun(src, grid, model, detail, chunk_elements)
    run.execute(progress)
    messages += list(src.messages)
    return run.report(prop_name, tuple(messages))
