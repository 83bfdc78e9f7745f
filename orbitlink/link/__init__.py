"""Links between the ground and orbit.

- :mod:`orbitlink.link.latency`: light-time paths (bent pipe, +Grid ISLs, relays,
  terrestrial fibre) and round-trip latency / availability statistics; its
  results in :mod:`orbitlink.link.latency_result`.
- link budgets and their parts: :mod:`orbitlink.link.budget` (result:
  :mod:`orbitlink.link.budget_result`), :mod:`orbitlink.link.atmosphere`,
  :mod:`orbitlink.link.modcod`, :mod:`orbitlink.link.optical`, :mod:`orbitlink.link.volume`;
  workload verdicts: :mod:`orbitlink.link.workload`.

No module here reads text: every input goes through :mod:`orbitlink.units`
(``"10dBW"``, ``"500MBd"``, ``"99.9%"`` ...) and every error class is in
:mod:`orbitlink.errors`.

Spelling: names follow the ITU's house style (Oxford spelling), the source of
most of the models here: ``polarization_tilt`` as in ITU-R P.618, ``fibre_index``
as in ITU-T G.652.  Both are kept as they are public keywords and JSON keys.

Submodules are imported on first use (PEP 562), so importing one of them does
not pay for the others.
"""

from __future__ import annotations

import importlib

_LATENCY = ("LatencyError", "LatencyResult", "LatencySeries", "OutageStats", "RttStats",
            "UserLatency", "Verdict", "fibre_rtt", "great_circle", "round_trip")


def __getattr__(name):
    if name in _LATENCY:
        return getattr(importlib.import_module(".latency", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(_LATENCY)
