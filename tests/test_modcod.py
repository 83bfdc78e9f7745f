"""The DVB-S2/S2X MODCOD table (ephemeris/modcod/dvbs2x.csv) and adaptive selection.

References:
- ETSI EN 302 307-1 V1.4.1, Table 13 (DVB-S2, QEF over AWGN): QPSK 1/2 needs Es/N0 1.00 dB at
  0.988858 bit/symbol; 32APSK 9/10 16.05 dB at 4.453027 bit/symbol.
- ETSI EN 302 307-2, Table 20a (DVB-S2X): 256APSK 3/4 at 5.900855 bit/symbol.
- EN 302 307-1 Table 5a: K_bch of the normal-frame codes (QPSK 1/2: 32208); clause 5.5.2:
  90-symbol PLHEADER; clause 5.1.6: 80-bit BBHEADER.
- Shannon (1948): no code carries eta bit/symbol below Es/N0 = 2^eta - 1 on an AWGN channel.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from orbitlink.link.modcod import ModcodError, frame_efficiency, load_table

# Thresholds are tabulated to 0.01 dB and efficiencies to 1e-6 bit/symbol.
THRESHOLD_TOL_DB = 0.005
EFFICIENCY_TOL = 5e-7


@pytest.mark.parametrize("name, esn0_db, eff", [
    ("QPSK 1/2", 1.00, 0.988858),      # EN 302 307-1 Table 13
    ("32APSK 9/10", 16.05, 4.453027),  # EN 302 307-1 Table 13
    ("QPSK 1/4", -2.35, 0.490243),     # EN 302 307-1 Table 13, the most robust DVB-S2 MODCOD
    ("8PSK 3/5", 5.50, 1.779991),      # EN 302 307-1 Table 13
    ("16APSK 2/3", 8.97, 2.637201),    # EN 302 307-1 Table 13
])
def test_dvbs2_table13_values(name, esn0_db, eff):
    m = load_table("dvbs2").get(name)
    assert m.standard == "DVB-S2"
    assert m.esn0_db == pytest.approx(esn0_db, abs=THRESHOLD_TOL_DB)
    assert m.spectral_efficiency == pytest.approx(eff, abs=EFFICIENCY_TOL)


def test_dvbs2x_256apsk_3_4():
    # EN 302 307-2 Table 20a; the efficiency is the issue's and del Portillo et al. (2019)'s.
    m = load_table("dvbs2x").get("256APSK 3/4")
    assert m.standard == "DVB-S2X"
    assert m.spectral_efficiency == pytest.approx(5.900855, abs=EFFICIENCY_TOL)
    assert m.bits_per_symbol == 8


def test_table_sizes_and_sets():
    s2, s2x = load_table("dvbs2"), load_table("dvbs2x")
    assert len(s2) == 28                   # 11 QPSK + 6 8PSK + 6 16APSK + 5 32APSK (Table 13)
    assert len(s2x) == 28 + 38
    assert {m.standard for m in s2.modcods} == {"DVB-S2"}
    with pytest.raises(ModcodError):
        load_table("dvb-t2")


def test_efficiency_from_frame_structure():
    # Independent of the typed column: (K_bch - 80) / (N_ldpc / log2 M + 90).
    assert float(frame_efficiency(2, 32208)) == pytest.approx(32128 / 32490, abs=1e-12)
    assert float(frame_efficiency(2, 32208)) == pytest.approx(0.988858, abs=EFFICIENCY_TOL)
    assert float(frame_efficiency(5, 58192)) == pytest.approx(4.453027, abs=EFFICIENCY_TOL)
    assert float(frame_efficiency(8, 48408)) == pytest.approx(5.900855, abs=EFFICIENCY_TOL)
    for m in load_table("dvbs2x").modcods:
        assert float(frame_efficiency(m.bits_per_symbol, m.k_bch)) == pytest.approx(
            m.spectral_efficiency, abs=EFFICIENCY_TOL), m.name


def test_k_bch_follows_the_code_rate():
    # K_ldpc = rate x 64800 and K_bch = K_ldpc - 16 t with t = 12, 10 or 8 (EN 302 307-1 Table 5a).
    for m in load_table("dvbs2x").modcods:
        k_ldpc = Fraction(m.code_rate.removesuffix("-L")) * 64800
        assert k_ldpc.denominator == 1, m.name
        assert int(k_ldpc) - m.k_bch in (192, 160, 128), m.name


def test_every_modcod_respects_shannon_with_a_sane_gap():
    # A mistyped threshold (a swapped digit, a lost minus sign) lands outside this band:
    # real LDPC+BCH codes of 64800 bits work 0.9 to 3.7 dB above the Shannon limit.
    for m in load_table("dvbs2x").modcods:
        shannon_db = 10 * math.log10(2.0 ** m.spectral_efficiency - 1.0)
        assert 0.5 < m.esn0_db - shannon_db < 4.0, (m.name, m.esn0_db - shannon_db)


def test_thresholds_rise_with_efficiency_within_a_code_family():
    table = load_table("dvbs2x")
    families = {}
    for m in table.modcods:
        if m.code_rate.endswith("-L"):
            continue  # the "-L" codes are separate designs, allowed to beat their neighbours
        families.setdefault((m.standard, m.modulation), []).append(m)
    for key, rows in families.items():
        rows.sort(key=lambda m: m.spectral_efficiency)
        es = [m.esn0_db for m in rows]
        assert all(b > a for a, b in zip(es, es[1:])), (key, [(m.name, m.esn0_db) for m in rows])


def test_uncertain_row_is_flagged():
    table = load_table("dvbs2x")
    flagged = [m.name for m in table.modcods if m.status != "checked"]
    assert flagged == ["64APSK 5/6"]


def test_best_selects_most_efficient_closing_modcod():
    s2 = load_table("dvbs2")
    es = np.array([-5.0, -2.35, 0.99, 1.00, 16.05, 40.0, np.nan])
    idx = s2.best(es)
    names = [None if i < 0 else s2.modcods[i].name for i in idx]
    assert names == [None, "QPSK 1/4", "QPSK 2/5", "QPSK 1/2", "32APSK 9/10", "32APSK 9/10", None]
    # The required margin shifts every threshold.
    assert s2.modcods[s2.best(4.0, required_db=3.0)].name == "QPSK 1/2"
    eff = s2.efficiency_of(idx)
    assert eff[0] == 0.0 and eff[3] == pytest.approx(0.988858, abs=EFFICIENCY_TOL)


def test_best_never_picks_a_dominated_modcod():
    # For any Es/N0 the pick is the maximum efficiency over all MODCODs that close (brute force).
    table = load_table("dvbs2x")
    es = np.linspace(-4.0, 25.0, 2901)
    idx = table.best(es, required_db=0.5)
    for x, i in zip(es, idx):
        closes = table.esn0_db <= x - 0.5
        if not closes.any():
            assert i == -1
        else:
            assert table.spectral_efficiency[i] == pytest.approx(table.spectral_efficiency[closes].max())
            assert closes[i]


def test_ebn0_of_a_modcod():
    m = load_table("dvbs2").get("QPSK 1/2")
    assert m.ebn0_db == pytest.approx(1.00 - 10 * math.log10(0.988858), abs=1e-9)
