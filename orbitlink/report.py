"""Small pieces every analysis' results share: JSON-safe rounding and the progress callback type.

- :func:`rounded` is how every ``to_dict()`` writes a float: rounded to a fixed
  number of decimals, and ``None`` for a missing or non-finite value (JSON has
  no NaN or infinity: an absurd but accepted input, 1e200 W, reports null
  rather than breaking ``--json``).  A value just below 1 (an availability of
  0.99999999) keeps the decimals that tell it from 1: rounding it up to 1.0
  would report a perfect service that is not.
- :func:`percent` writes a fraction as a percentage for people the same way:
  ``percent(0.99999999)`` is ``"99.999999"``, not ``"100"``.
- :data:`Progress` is the one callback type of long analyses:
  ``progress(stage, fraction)`` with the name of the running stage and the
  fraction of that stage done, 0 at its start and 1 at its end.
"""

from __future__ import annotations

import math
from typing import Callable, Optional

__all__ = ["Progress", "no_progress", "percent", "rounded"]

#: ``progress(stage, fraction)``: ``fraction`` (0..1) of ``stage`` is done.
Progress = Callable[[str, float], None]


def no_progress(stage: str, fraction: float) -> None:
    """The :data:`Progress` callback that reports nothing (the default)."""


def rounded(x, digits: int = 6) -> Optional[float]:
    """``x`` as a float rounded to ``digits`` decimals; None when ``x`` is None, NaN or infinite.

    A value below 1 that would round to 1.0 keeps as many more decimals as it needs not to
    (up to 15): ``rounded(0.99999999, 6)`` is 0.99999999."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return round(x, _decimals_apart_from(x, digits, 1.0))


# Beyond 15 decimals a float near 1 has no more digits to show.
_MAX_DECIMALS = 15


def _decimals_apart_from(x: float, digits: int, edge: float) -> int:
    """``digits``, or more when ``x`` (not ``edge``) would round to ``edge``."""
    while digits < _MAX_DECIMALS and x != edge and round(x, digits) == edge:
        digits += 1
    return digits


def percent(fraction, decimals: int = 3, *, trim: bool = False) -> str:
    """``fraction`` (0..1) as a percentage with ``decimals`` decimals, without the ``%`` sign:
    more decimals when fewer would show a value short of 100 % as 100 (``0.99999999`` ->
    ``"99.999999"``) or a value above 0 % as 0; ``trim`` drops trailing zeros (``"99.9"``, as
    for a target).  ``"nan"`` for a missing value."""
    if fraction is None or not math.isfinite(float(fraction)):
        return "nan"
    p = float(fraction) * 100.0
    d = _decimals_apart_from(p, decimals, 100.0)
    d = _decimals_apart_from(p, d, 0.0)
    text = f"{p:.{d}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
