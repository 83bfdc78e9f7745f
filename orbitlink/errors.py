"""Exceptions raised for bad input.

Every error a user can cause is an :class:`OrbitlinkError`, a subclass of
:class:`ValueError`; the CLI turns each into one ``orbitlink: error:`` line and
exit code 2.  The message names the bad field and the accepted form.
"""

from __future__ import annotations


class OrbitlinkError(ValueError):
    """Base class of every input error orbitlink raises."""


class QuantityError(OrbitlinkError):
    """A value has no unit, the wrong kind of unit, or is out of range."""


class OrbitSpecError(OrbitlinkError):
    """An orbit or constellation description is invalid."""


class ElementSetError(OrbitlinkError):
    """A TLE/OMM file cannot be used at all (missing, empty, no valid entry)."""


class TimeGridError(OrbitlinkError):
    """A start time, duration or step is invalid, or the grid is too large."""


class StationError(OrbitlinkError):
    """A ground station or station file is invalid."""


class MissingExtraError(OrbitlinkError, ImportError):
    """An optional dependency is needed; the message names the pip extra."""

    def __init__(self, extra: str, package: str, what: str):
        super().__init__(
            f"{what} needs the optional package {package!r}: "
            f'pip install "orbitlink[{extra}]"'
        )
        self.extra = extra
