"""Choose ground stations for an orbital data center on one dawn-dusk sun-synchronous satellite.

The satellite (650 km, LTAN 18:00) downlinks results and takes commands through
k stations picked from the public AWS Ground Station, KSAT and SpaceX TT&C
sites.  Greedy choices are checked against the exact optimum (scipy MILP).
Runs offline in a few seconds:  python examples/choose_ground_stations_sso.py
"""

import astropy.units as u

from orbitlink import orbits
from orbitlink.propagators import propagate
from orbitlink.stations import resolve_stations
from orbitlink.visibility import contact_statistics, find_passes
from orbitlink.visibility.selection import select_stations

K = 3
sat = orbits.sun_synchronous(650 * u.km, "18:00", epoch="2026-03-20T00:00:00")
track = propagate(sat, duration="24h", step="30s")
candidates = resolve_stations(stations=["aws-ground-station", "ksat", "spacex-ttc"])
passes = find_passes(track, candidates, min_elevation=10 * u.deg, scan_step=10 * u.s)
print(f"{len(passes)} passes over {len(candidates)} candidate stations in 24 h")

for objective in ("coverage", "gap"):
    sel = select_stations(passes, K, objective, compare_exact=True)
    chosen = passes.select([g in sel.indices for g in passes.station_index])
    stats = contact_statistics(chosen)
    print(f"\nobjective {objective}: {', '.join(sel.stations.names)}")
    print(f"  in contact {100 * stats.network_coverage_fraction:.1f} % of the day "
          f"({stats.contact_per_day[0].to_value(u.min / u.day):.0f} min/day), "
          f"longest gap {stats.max_gap.to(u.min):.0f}")
    print(f"  exact optimum {sel.optimum:.6g} {sel.unit}: greedy is "
          f"{100 * sel.optimality_gap:.1f} % from it")
