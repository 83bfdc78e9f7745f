"""Small pieces every analysis' results share: JSON-safe rounding and the progress callback type.

- :func:`rounded` is how every ``to_dict()`` writes a float: rounded to a fixed
  number of decimals, and ``None`` for a missing or non-finite value (JSON has
  no NaN or infinity: an absurd but accepted input, 1e200 W, reports null
  rather than breaking ``--json``).
- :data:`Progress` is the one callback type of long analyses:
  ``progress(stage, fraction)`` with the name of the running stage and the
  fraction of that stage done, 0 at its start and 1 at its end.
"""

from __future__ import annotations

import math
from typing import Callable, Optional

__all__ = ["Progress", "no_progress", "rounded"]

#: ``progress(stage, fraction)``: ``fraction`` (0..1) of ``stage`` is done.
Progress = Callable[[str, float], None]


def no_progress(stage: str, fraction: float) -> None:
    """The :data:`Progress` callback that reports nothing (the default)."""


def rounded(x, digits: int = 6) -> Optional[float]:
    """``x`` as a float rounded to ``digits`` decimals; None when ``x`` is None, NaN or infinite."""
    if x is None:
        return None
    x = float(x)
    return round(x, digits) if math.isfinite(x) else None
