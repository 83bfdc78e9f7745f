"""Choose Starlink gateway sites for a 1,584-satellite orbital data-center shell.

Walker 1584/72/1 at 550 km and 53 deg (the first Starlink shell), 25 deg
elevation mask, the 198 public gateway sites as candidates: which k sites keep
the most satellite-time connected to the ground?  Six hours are enough to see
the pattern; runs offline in seconds:
    python examples/choose_ground_stations_shell.py
"""

import time

import astropy.units as u

from orbitlink import orbits
from orbitlink.propagators import propagate
from orbitlink.stations import load_catalog
from orbitlink.visibility import find_passes
from orbitlink.visibility.selection import select_stations

K = 5
t0 = time.perf_counter()
shell = orbits.walker(1584, 72, 1, 550 * u.km, 53 * u.deg, epoch="2026-03-20T00:00:00")
track = propagate(shell, duration="6h", step="60s")
gateways = load_catalog("starlink-gateways")
passes = find_passes(track, gateways, min_elevation=25 * u.deg, scan_step=10 * u.s)
print(f"{len(passes)} passes of {track.n_satellites} satellites over {len(gateways)} gateway sites "
      f"({time.perf_counter() - t0:.1f} s)")

for objective in ("coverage", "contact"):
    sel = select_stations(passes, K, objective)
    print(f"\nobjective {objective}: {', '.join(sel.stations.names)}")
    for name, value in zip(sel.stations.names, sel.history):
        shown = f"{100 * value:6.2f} % of satellite-time" if objective == "coverage" \
            else f"{value / 3600:8.0f} link-hours/day"
        print(f"  + {name:<26s} {shown}")
print(f"\ndone in {time.perf_counter() - t0:.1f} s")
