"""Every exception orbitlink raises for bad input, in one place.

Every error a user can cause is an :class:`OrbitlinkError`, a subclass of
:class:`ValueError`; the CLI turns each into one ``orbitlink: error:`` line and
exit code 2 (in one place, ``orbitlink.cli.main``).  The message names the bad
field and the accepted form.

One class per fault, whichever module finds it:

- a value that cannot be read, has the wrong kind of unit or is out of range
  (any field of any analysis, read by :mod:`orbitlink.units`): :class:`QuantityError`;
- a bad start/duration/step or a grid too large: :class:`TimeGridError`
  (:class:`EphemerisSpanError` when it leaves the Sun ephemeris);
- orbit specs, element-set files and stations: :class:`OrbitSpecError`,
  :class:`ElementSetError`, :class:`StationError`;
- inputs that each read fine but do not fit together, or that one analysis
  cannot use: the analysis' own class (:class:`EclipseError`,
  :class:`LatencyError`, :class:`BudgetError`, :class:`OpticalBudgetError`,
  :class:`AtmosphereError`, :class:`ModcodError`, :class:`VolumeError`,
  :class:`WorkloadError`, :class:`FeasibilityError`, :class:`SelectionError`,
  :class:`ScaleError`, :class:`DesignError`);
- the installation itself: :class:`MissingExtraError` (an optional package is
  missing) and :class:`DataFileError` (a bundled file is missing).

The old homes of these classes (``orbitlink.link.latency.LatencyError``,
``orbitlink.feasibility.units.FeasibilityError``, ``orbitlink.sun.EphemerisSpanError``
...) re-export them, so both import paths name the same class.
"""

from __future__ import annotations

__all__ = [
    "AtmosphereError",
    "BudgetError",
    "DataFileError",
    "DesignError",
    "EclipseError",
    "ElementSetError",
    "EphemerisSpanError",
    "FeasibilityError",
    "LatencyError",
    "MissingExtraError",
    "ModcodError",
    "OpticalBudgetError",
    "OrbitSpecError",
    "OrbitlinkError",
    "QuantityError",
    "ScaleError",
    "ScheduleError",
    "SelectionError",
    "StationError",
    "TimeGridError",
    "VolumeError",
    "WorkloadError",
]


class OrbitlinkError(ValueError):
    """Base class of every input error orbitlink raises."""


# --- values, times, orbits, stations ------------------------------------------------------

class QuantityError(OrbitlinkError):
    """A value has no unit, the wrong kind of unit, or is out of range."""


class OrbitSpecError(OrbitlinkError):
    """An orbit or constellation description is invalid."""


class ElementSetError(OrbitlinkError):
    """A TLE/OMM file cannot be used at all (missing, empty, no valid entry)."""


class TimeGridError(OrbitlinkError):
    """A start time, duration or step is invalid, or the grid is too large."""


class EphemerisSpanError(TimeGridError):
    """Times outside the span of the bundled Sun ephemeris (DE421)."""


class StationError(OrbitlinkError):
    """A ground station or station file is invalid."""


# --- analyses: inputs that read fine but do not fit together --------------------------------

class SelectionError(OrbitlinkError):
    """Station selection cannot run as asked (unknown objective, no solution from the solver)."""


class ScheduleError(OrbitlinkError):
    """A contact plan cannot be made as asked (unknown objective, priorities naming unknown satellites)."""


class ScaleError(OrbitlinkError):
    """A Dask run cannot start: a bad client or scheduler address, or a source it cannot split."""


class DesignError(OrbitlinkError):
    """A design search input the search cannot use (an empty space, a bad count, a bad relay...)."""


class EclipseError(OrbitlinkError):
    """Bad options for an eclipse or power analysis."""


class LatencyError(OrbitlinkError):
    """Bad input to the latency analysis (empty compute set, SLO <= 0, unknown relay ...)."""


class BudgetError(OrbitlinkError):
    """The link-budget inputs are inconsistent (missing, conflicting or out of range)."""


class OpticalBudgetError(OrbitlinkError):
    """Inconsistent optical-budget inputs."""


class AtmosphereError(OrbitlinkError):
    """An input is outside the range of the ITU-R models."""


class ModcodError(OrbitlinkError):
    """A MODCOD name or table selection is invalid."""


class VolumeError(OrbitlinkError):
    """Bad input to the data-volume analysis."""


class WorkloadError(OrbitlinkError):
    """Bad or missing workload input."""


class FeasibilityError(OrbitlinkError):
    """A data center cannot be sized as asked (inputs that contradict each other or the physics).

    A single input that cannot be read, has the wrong unit or is out of range
    is a :class:`QuantityError`, as for every other analysis.
    """


# --- the installation --------------------------------------------------------------------

class MissingExtraError(OrbitlinkError, ImportError):
    """An optional dependency is needed; the message names the pip extra."""

    def __init__(self, extra: str, package: str, what: str):
        super().__init__(
            f"{what} needs the optional package {package!r}: "
            f'pip install "orbitlink[{extra}]"'
        )
        self.extra = extra


class DataFileError(OrbitlinkError, FileNotFoundError):
    """A bundled data file is missing: the installation is incomplete."""
