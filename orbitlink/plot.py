"""Plots (needs the ``plot`` extra: matplotlib). Imported only when a plot is asked for."""

from __future__ import annotations

from .errors import MissingExtraError


def require_matplotlib():
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", "--plot") from exc
    matplotlib.use("Agg")  # files only; never open a window
    return matplotlib
