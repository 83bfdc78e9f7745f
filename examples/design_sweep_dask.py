"""Design sweep on Dask: altitude x inclination x station network -> contact time per day.

Every design point is one Dask task (propagate a Walker shell, find its passes
over a station network, summarise).  Without arguments it runs on the local
process scheduler; pass a scheduler address to use a cluster:

    python examples/design_sweep_dask.py tcp://scheduler:8786
"""

import sys

import dask

from orbitlink import orbits, scale, times
from orbitlink.propagators import propagate
from orbitlink.stations import load_catalog
from orbitlink.visibility import contact_statistics, find_passes

ALTITUDES_KM = (550, 1200)
INCLINATIONS_DEG = (53, 97.6)
NETWORKS = ("aws-ground-station", "ksat")


@dask.delayed(pure=True)
def design_point(alt_km, inc_deg, network):
    shell = orbits.walker(12, 3, 1, f"{alt_km}km", f"{inc_deg}deg", epoch="2026-01-01")
    grid = times.time_grid("2026-01-01", "24h", "30s")
    passes = find_passes(propagate(shell, grid), load_catalog(network), min_elevation="10deg")
    stats = contact_statistics(passes).to_dict()
    return {"altitude_km": alt_km, "inclination_deg": inc_deg, "network": network,
            "passes": len(passes), "coverage": stats["network"]["coverage_fraction"]}


def main(address=None):
    points = [design_point(a, i, n) for a in ALTITUDES_KM for i in INCLINATIONS_DEG for n in NETWORKS]
    # Where orbitlink runs its own tasks: local processes, or the cluster at `address`.
    rows = scale.compute(points, client=address)
    for row in rows:
        print(f"{row['altitude_km']:>5} km {row['inclination_deg']:>5} deg {row['network']:<20}"
              f" passes {row['passes']:>4}  coverage {row['coverage']:.3f}")
    return rows


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
