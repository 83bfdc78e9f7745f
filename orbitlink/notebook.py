"""What a notebook shows: short reprs and pandas tables.

- :func:`names_preview`: the first few names and how many more, for reprs of at
  most a few lines (a 1,584-satellite set prints three names, not 26 k characters);
- :func:`require_pandas` / :func:`require_xarray`: the optional package, or
  :class:`~orbitlink.errors.MissingExtraError` naming its extra
  (``pip install "orbitlink[pandas]"``, ``orbitlink[xarray]``); both through
  :func:`require_extra`, the one place an extra is checked for results.

A foundation module: imports nothing of orbitlink's analyses.
"""

from __future__ import annotations

from .errors import MissingExtraError

__all__ = ["REPR_NAMES", "count_text", "epochs_text", "names_preview", "require_extra", "require_pandas",
           "require_xarray", "span_text"]

REPR_NAMES = 3


def names_preview(names, k: int = REPR_NAMES) -> str:
    """``"a, b, c, ... (+1581)"``: the first ``k`` names and the count of the rest."""
    names = list(names)
    shown = ", ".join(str(n) for n in names[:k])
    return shown + (f", ... (+{len(names) - k})" if len(names) > k else "")


def count_text(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 station"``, ``"3 stations"`` (``plural`` for nouns such as pass/passes)."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def span_text(start, end) -> str:
    """``"2026-01-01T00:00:00Z .. 2026-01-02T00:00:00Z"`` from two astropy Times (UTC, seconds)."""
    a, b = start.utc, end.utc
    return f"{a.isot[:19]}Z .. {b.isot[:19]}Z"


def epochs_text(epoch_jd) -> str:
    """``", epochs 2025-01-21T22:30Z .. 2025-01-23T22:00Z"`` from UTC Julian dates ("" if none)."""
    import numpy as np
    from astropy.time import Time

    jd = np.asarray(epoch_jd, dtype=np.float64)
    if not jd.size:
        return ""
    lo, hi = Time([jd.min(), jd.max()], format="jd", scale="utc").isot
    return f", epochs {lo[:16]}Z" + ("" if hi[:16] == lo[:16] else f" .. {hi[:16]}Z")


def require_extra(module: str, extra: str, what: str):
    """The optional ``module``, or MissingExtraError naming its ``extra`` and ``what`` needed it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(extra, module, what) from exc


def require_pandas(what: str):
    """The pandas module, or MissingExtraError naming the ``pandas`` extra and ``what`` needed it."""
    return require_extra("pandas", "pandas", what)


def require_xarray(what: str):
    """The xarray module, or MissingExtraError naming the ``xarray`` extra and ``what`` needed it."""
    return require_extra("xarray", "xarray", what)
