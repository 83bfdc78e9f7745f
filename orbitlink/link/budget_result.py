"""The result of one RF link budget: :class:`LinkBudget`, every term and its ``--json`` form.

Made by :func:`orbitlink.link.budget.link_budget` (which holds the physics);
kept apart so the budget module stays the model and this one the report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..constants import C_M_S
from ..report import rounded as _r
from .modcod import Modcod

__all__ = ["ATMOSPHERE_COMBINATION", "LinkBudget"]

# How the ITU-R rows make the total: not their sum.  ITU-R P.618-13 section 2.5, eq. (64); by
# eq. (65) gas and cloud are taken at p = 1 % when p < 1 % (rain already holds most of them).
ATMOSPHERE_COMBINATION = ("ITU-R P.618-13 eq. 64: A_T = A_G + sqrt((A_R + A_C)^2 + A_S^2), "
                          "A_G and A_C at max(p, 1 %)")


@dataclass(frozen=True)
class LinkBudget:
    """Every term of one link budget (SI units, decibels in ``_db``-type names).

    ``modcod`` is None when no MODCOD closes; :attr:`message` then says by how
    much the link is short.  ``margin_db`` is Es/N0 minus the chosen MODCOD's
    threshold and the implementation loss (or minus the most robust MODCOD's
    when none closes); the link closes when it is at least ``required_margin_db``.
    """

    params: object  # orbitlink.link.budget.LinkParameters (not imported: budget imports this module)
    distance_m: float
    elevation_rad: float
    fspl_db: float
    atmospheric_db: float
    atmosphere: object  # AtmosphericAttenuation | None
    path_loss_db: float
    sky_noise_k: float
    system_temperature_k: float
    g_over_t_dbk: float
    received_power_dbw: float
    cn0_dbhz: float
    esn0_db: float
    modcod: Modcod | None
    margin_db: float
    data_rate_bps: float
    ebn0_db: float
    shannon_bps: float

    @property
    def eirp_dbw(self) -> float:
        return self.params.eirp_dbw

    def __repr__(self) -> str:
        # One line for notebooks, not the LinkParameters and MODCOD table it holds.
        return (f"LinkBudget({self.params.frequency_hz / 1e9:g} GHz over {self.distance_m / 1e3:.1f} km, "
                f"path loss {self.path_loss_db:.3f} dB (atmosphere {self.atmospheric_db:.3f}), "
                f"Es/N0 {self.esn0_db:.3f} dB: {self.message})")

    @property
    def closes(self) -> bool:
        return self.modcod is not None

    @property
    def shortfall_db(self) -> float:
        """How far Es/N0 is below what the most robust MODCOD needs with the margin (0 if it closes)."""
        return 0.0 if self.closes else self.params.margin_db - self.margin_db

    @property
    def required_esn0_db(self) -> float:
        m = self.modcod
        base = m.esn0_db if m is not None else self.params.table.lowest_threshold_db
        return base + self.params.required_db

    @property
    def message(self) -> str:
        if self.closes:
            return (f"closes with {self.modcod.name} ({self.modcod.standard}), margin "
                    f"{self.margin_db:.2f} dB ({self.params.margin_db:g} dB required)")
        return f"no MODCOD closes; short by {self.shortfall_db:.2f} dB"

    def to_dict(self) -> dict:
        p = self.params
        atm = self.atmosphere
        d = {
            "band": p.band,
            "frequency_ghz": _r(p.frequency_hz / 1e9, 9),
            "wavelength_m": _r(C_M_S / p.frequency_hz, 9),
            "distance_km": _r(self.distance_m / 1e3),
            "elevation_deg": _r(math.degrees(self.elevation_rad)),
            "tx_power_w": _r(p.tx_power_w, 9),
            "tx_power_dbw": _r(10.0 * np.log10(p.tx_power_w)),
            "tx_gain_dbi": _r(p.tx_gain_db),
            "tx_loss_db": _r(p.tx_loss_db),
            "eirp_dbw": _r(self.eirp_dbw),
            "fspl_db": _r(self.fspl_db),
            "atmospheric_db": _r(self.atmospheric_db),
            "gaseous_db": None if atm is None else _r(atm.gaseous_db),
            "cloud_db": None if atm is None else _r(atm.cloud_db),
            "rain_db": None if atm is None else _r(atm.rain_db),
            "scintillation_db": None if atm is None else _r(atm.scintillation_db),
            "availability_percent": None if atm is None else _r(atm.availability_percent),
            "atmosphere_model": None if atm is None else atm.model,
            "atmospheric_combination": None if atm is None else ATMOSPHERE_COMBINATION,
            "pointing_loss_db": _r(p.pointing_loss_db),
            "polarization_loss_db": _r(p.polarization_loss_db),
            "other_losses_db": _r(p.other_losses_db),
            "path_loss_db": _r(self.path_loss_db),
            "rx_gain_dbi": _r(p.rx_gain_db),
            "system_temperature_k": _r(self.system_temperature_k),
            "sky_noise_k": None if math.isnan(p.system_temperature_k) else _r(self.sky_noise_k),
            "g_over_t_dbk": _r(self.g_over_t_dbk),
            "received_power_dbw": _r(self.received_power_dbw),
            "cn0_dbhz": _r(self.cn0_dbhz),
            "symbol_rate_mbd": _r(p.symbol_rate_hz / 1e6, 9),
            "roll_off": _r(p.roll_off),
            "bandwidth_mhz": _r(p.bandwidth_hz / 1e6, 9),
            "esn0_db": _r(self.esn0_db),
            "modcod": None if self.modcod is None else self.modcod.name,
            "modcod_standard": None if self.modcod is None else self.modcod.standard,
            "modcods": p.modcods,
            "required_esn0_db": _r(self.required_esn0_db),
            "implementation_loss_db": _r(p.implementation_loss_db),
            "required_margin_db": _r(p.margin_db),
            "margin_db": _r(self.margin_db),
            "spectral_efficiency_bit_per_symbol": None if self.modcod is None
            else self.modcod.spectral_efficiency,
            "ebn0_db": _r(self.ebn0_db),
            "data_rate_mbps": _r(self.data_rate_bps / 1e6),
            "shannon_mbps": _r(self.shannon_bps / 1e6),
            "direction": "downlink" if p.downlink else "uplink",
            "closes": self.closes,
            "shortfall_db": _r(self.shortfall_db),
            "message": self.message,
            "notes": list(p.notes) + self._notes(),
        }
        return d

    def _notes(self) -> list[str]:
        p = self.params
        if self.atmosphere is not None and p.downlink and math.isnan(p.system_temperature_k):
            return ["rain/cloud sky-noise increase not applied: give the receiver as "
                    "--rx-dish/--rx-gain with --system-temp to include it"]
        return []
