"""The budget table says how its ITU-R atmosphere rows make the total (issue 18).

The rows (gas, cloud, rain, scintillation) do not add up: ITU-R P.618-13 section 2.5, eq. (64)
combines them as A_T = A_G + sqrt((A_R + A_C)^2 + A_S^2).  The table shows that combination as a
row with its value and a footnote naming the equation; the JSON names it in
``atmospheric_combination``.  The total is what the path loss and the margin use.
"""

from __future__ import annotations

import json
import math

import pytest

pytest.importorskip("itur")

# A Ka downlink at 30 deg over London at 99.9 %; --g-over-t keeps the receiver fixed (no rain
# sky-noise term), so a fixed --atmospheric-loss of the same total must give the same link.
RADIO = ("--band", "Ka", "--orbit", "550km", "--elevation", "30deg", "--tx-power", "10W", "--tx-dish", "0.5m",
         "--g-over-t", "20dB/K")
ITU = ("--station", "London", "--availability", "99.9%")


def _p618_eq64(d):
    return d["gaseous_db"] + math.sqrt((d["rain_db"] + d["cloud_db"]) ** 2 + d["scintillation_db"] ** 2)


def test_json_names_the_combination_and_it_holds(run_cli):
    r = run_cli("budget", *RADIO, *ITU, "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert "P.618-13 eq. 64" in d["atmospheric_combination"]
    assert "A_G + sqrt((A_R + A_C)^2 + A_S^2)" in d["atmospheric_combination"]
    parts = d["gaseous_db"] + d["cloud_db"] + d["rain_db"] + d["scintillation_db"]
    assert parts - d["atmospheric_db"] > 0.1                # the rows really do not add up
    assert d["atmospheric_db"] == pytest.approx(_p618_eq64(d), abs=1e-3)
    # the total is what the link uses: path loss = FSPL + atmosphere + the fixed losses
    fixed = d["pointing_loss_db"] + d["polarization_loss_db"] + d["other_losses_db"]
    assert d["path_loss_db"] == pytest.approx(d["fspl_db"] + d["atmospheric_db"] + fixed, abs=1e-3)
    # ... and the margin: the same link with the total as a fixed loss closes with the same margin
    fixed_run = run_cli("budget", *RADIO, "--atmospheric-loss", f"{d['atmospheric_db']}dB", "--json")
    f = json.loads(fixed_run.out)
    assert f["atmospheric_combination"] is None
    assert f["margin_db"] == pytest.approx(d["margin_db"], abs=1e-3)
    assert f["esn0_db"] == pytest.approx(d["esn0_db"], abs=1e-3)


def test_table_shows_the_combined_row_and_the_equation(run_cli):
    d = json.loads(run_cli("budget", *RADIO, *ITU, "--json").out)
    r = run_cli("budget", *RADIO, *ITU)
    assert r.code == 0, r.err
    rows = {}
    for line in r.out.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 3:
            rows[cells[0]] = cells[1]
    shown = float(rows["A_G + sqrt((A_R + A_C)^2 + A_S^2)"])
    assert shown == pytest.approx(_p618_eq64(d), abs=1e-3)
    assert float(rows["atmospheric attenuation"]) == shown
    for label, key in (("gases A_G", "gaseous_db"), ("clouds A_C", "cloud_db"), ("rain A_R", "rain_db"),
                       ("scintillation A_S", "scintillation_db")):
        assert float(rows[label]) == pytest.approx(d[key], abs=5e-4)
    assert "not the sum of its rows): ITU-R P.618-13 eq. 64" in r.out


def test_without_itu_components_no_combination_is_shown(run_cli):
    r = run_cli("budget", *RADIO, "--atmospheric-loss", "2dB")
    assert r.code == 0, r.err
    assert "A_G + sqrt" not in r.out and "P.618-13 eq. 64" not in r.out
