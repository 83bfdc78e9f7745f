"""Optical (laser) link budgets for inter-satellite and space-to-ground links.

A deliberately simple, documented budget in the form of Hemmati (ed.),
*Near-Earth Laser Communications* (CRC Press, 2009), chapter 1, and Majumdar &
Ricklin, *Free-Space Laser Communications* (Springer, 2008)::

    P_rx = P_tx * eta_tx G_tx * L_tx,optics * L_point * (lambda / 4 pi d)^2 * L_atm * L_other
                * G_rx eta_rx * L_rx,optics

- Aperture gain ``G = (pi D / lambda)^2 = 4 pi A / lambda^2`` for a uniformly
  illuminated circular aperture of diameter ``D``.  A transmitter emitting a
  Gaussian beam truncated by its aperture reaches at most 81.45 % of that on
  axis (Klein & Degnan, Applied Optics 13(9), 2134, 1974: optimum truncation
  ratio 1.12, no central obscuration), the default ``tx_efficiency``.  The
  receiver collects the power falling on its area: ``rx_efficiency`` 1.0 by
  default; real telescopes lose more (obscuration, optics, fibre coupling) -
  put those in ``rx_optics_loss``.
- Pointing: a Gaussian beam's far-field intensity falls as
  ``exp(-2 theta^2 / theta_d^2)`` with the 1/e^2 half-angle ``theta_d``, and its
  on-axis gain is ``G = 8 / theta_d^2``, so a mispointing ``theta`` costs
  ``exp(-G theta^2 / 4)``: :func:`gaussian_pointing_loss_db`.  Or give the loss.
- Receiver sensitivity: photons per bit ``N_b`` (a coherent or pre-amplified
  receiver needs tens to a few hundred at the FEC threshold) gives the required
  power ``N_b h c / lambda * R``; or a power in dBm at the data rate.  The
  maximum data rate scales linearly with the received power (photon budget),
  which holds while the receiver stays photon-limited.

Atmosphere, turbulence (scintillation, beam wander) and cloud blockage on
space-to-ground links are not modelled: give them as ``atmospheric_loss``.
Clouds block optical ground links outright, which is an availability problem
(site diversity), not a margin one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..constants import C_M_S
from .. import units
from ..errors import OpticalBudgetError, QuantityError
from ..report import rounded
from .budget import BANDS, DEFAULT_MARGIN, db10

__all__ = [
    "KLEIN_DEGNAN_EFFICIENCY",
    "OpticalBudget",
    "aperture_gain_db",
    "gaussian_pointing_loss_db",
    "optical_budget",
    "optical_fspl_db",
    "photon_energy_j",
]

PLANCK_J_S = 6.62607015e-34  # exact (SI 2019)
KLEIN_DEGNAN_EFFICIENCY = 0.8145
DEFAULT_WAVELENGTH_M = C_M_S / BANDS["optical"].frequency_hz  # 1550 nm



def aperture_gain_db(diameter_m, wavelength_m, efficiency=1.0):
    """10 log10(eta (pi D / lambda)^2): gain of a circular aperture, dBi."""
    d = np.asarray(diameter_m, dtype=np.float64)
    return db10(np.asarray(efficiency, dtype=np.float64) * (np.pi * d / np.asarray(wavelength_m, dtype=np.float64)) ** 2)


def optical_fspl_db(distance_m, wavelength_m):
    """Free-space loss 20 log10(4 pi d / lambda), dB (the same law as radio, ITU-R P.525)."""
    return 20.0 * np.log10(4.0 * np.pi * np.asarray(distance_m, dtype=np.float64) / np.asarray(wavelength_m, dtype=np.float64))


def photon_energy_j(wavelength_m):
    """h c / lambda, joules (1.2816e-19 J at 1550 nm)."""
    return PLANCK_J_S * C_M_S / np.asarray(wavelength_m, dtype=np.float64)


def gaussian_pointing_loss_db(pointing_error_rad, tx_gain_db):
    """Loss of a Gaussian beam of on-axis gain ``tx_gain_db`` mispointed by ``pointing_error_rad``, dB (>= 0).

    ``-10 log10(exp(-G theta^2 / 4))``: from the far field ``exp(-2 theta^2 /
    theta_d^2)`` and ``G = 8 / theta_d^2`` (a Gaussian beam's gain).
    """
    g = 10.0 ** (np.asarray(tx_gain_db, dtype=np.float64) / 10.0)
    theta = np.asarray(pointing_error_rad, dtype=np.float64)
    return 10.0 * np.log10(np.e) * g * theta**2 / 4.0


@dataclass(frozen=True)
class OpticalBudget:
    """Every term of an optical budget (SI units; decibels in ``_db``/``_dbm`` names)."""

    wavelength_m: float
    distance_m: float
    tx_power_w: float
    tx_gain_db: float
    rx_gain_db: float
    tx_optics_loss_db: float
    rx_optics_loss_db: float
    pointing_loss_db: float
    atmospheric_loss_db: float
    other_losses_db: float
    fspl_db: float
    received_power_w: float
    photon_energy_j: float
    photons_per_bit_required: float
    data_rate_bps: float           # NaN when not given
    required_power_w: float        # NaN when no data rate
    required_margin_db: float
    margin_db: float               # NaN when no data rate
    max_data_rate_bps: float       # rate at which the margin equals the required margin

    @property
    def received_power_dbm(self) -> float:
        return float(db10(self.received_power_w)) + 30.0

    @property
    def closes(self) -> bool | None:
        return None if math.isnan(self.margin_db) else self.margin_db >= self.required_margin_db

    @property
    def message(self) -> str:
        top = f"max data rate {self.max_data_rate_bps / 1e9:.3f} Gbps with {self.required_margin_db:g} dB margin"
        if self.closes is None:
            return top
        if self.closes:
            return f"closes at {self.data_rate_bps / 1e9:g} Gbps with margin {self.margin_db:.2f} dB; {top}"
        return (f"does not close at {self.data_rate_bps / 1e9:g} Gbps; short by "
                f"{self.required_margin_db - self.margin_db:.2f} dB; {top}")

    def to_dict(self) -> dict:
        r = rounded
        return {
            "band": "optical",
            "wavelength_nm": r(self.wavelength_m * 1e9),
            "distance_km": r(self.distance_m / 1e3),
            "tx_power_w": r(self.tx_power_w, 9),
            "tx_power_dbm": r(float(db10(self.tx_power_w)) + 30.0),
            "tx_gain_dbi": r(self.tx_gain_db),
            "rx_gain_dbi": r(self.rx_gain_db),
            "tx_optics_loss_db": r(self.tx_optics_loss_db),
            "rx_optics_loss_db": r(self.rx_optics_loss_db),
            "pointing_loss_db": r(self.pointing_loss_db),
            "atmospheric_db": r(self.atmospheric_loss_db),
            "other_losses_db": r(self.other_losses_db),
            "fspl_db": r(self.fspl_db),
            "received_power_dbm": r(self.received_power_dbm),
            "photon_energy_j": float(f"{self.photon_energy_j:.6e}"),
            "photons_per_bit_required": r(self.photons_per_bit_required),
            "data_rate_mbps": r(self.data_rate_bps / 1e6),
            "required_power_dbm": r(float(db10(self.required_power_w)) + 30.0
                                    if self.required_power_w > 0 else math.nan),
            "required_margin_db": r(self.required_margin_db),
            "margin_db": r(self.margin_db),
            "max_data_rate_mbps": r(self.max_data_rate_bps / 1e6),
            "closes": self.closes,
            "message": self.message,
        }


def optical_budget(*, distance, tx_power, tx_aperture, rx_aperture, wavelength=None,
                   frequency=None, tx_efficiency=KLEIN_DEGNAN_EFFICIENCY, rx_efficiency=1.0,
                   tx_optics_loss="0dB", rx_optics_loss="0dB", pointing_loss=None,
                   pointing_error=None, atmospheric_loss="0dB", losses="0dB",
                   sensitivity="100ph/bit", data_rate=None, margin=DEFAULT_MARGIN) -> OpticalBudget:
    """An optical link budget (Quantities or strings: "5000km", "1W", "8cm", "100ph/bit").

    ``wavelength`` (default 1550 nm) or ``frequency``; ``pointing_loss`` in dB
    or ``pointing_error`` (an angle, converted with the Gaussian-beam law);
    ``sensitivity`` in photons per bit or as a power at ``data_rate``.
    Without ``data_rate`` only the maximum rate is computed.
    """
    if wavelength is not None and frequency is not None:
        raise OpticalBudgetError("wavelength: give the wavelength or the frequency, not both")
    if frequency is not None:
        lam = C_M_S / units.positive_si(frequency, "frequency", "frequency", "193.4THz")
    elif wavelength is not None:
        lam = units.positive_si(wavelength, "length", "wavelength", "1550nm")
    else:
        lam = DEFAULT_WAVELENGTH_M
    d = units.positive_si(distance, "length", "distance", "5000km")
    p_tx = units.power_w(tx_power, "tx_power")
    d_tx = units.positive_si(tx_aperture, "length", "tx_aperture", "8cm")
    d_rx = units.positive_si(rx_aperture, "length", "rx_aperture", "8cm")
    eta_tx = units.fraction(tx_efficiency, "tx_efficiency", lo=0.0, lo_inclusive=False)
    eta_rx = units.fraction(rx_efficiency, "rx_efficiency", lo=0.0, lo_inclusive=False)
    g_tx = float(aperture_gain_db(d_tx, lam, eta_tx))
    g_rx = float(aperture_gain_db(d_rx, lam, eta_rx))
    if pointing_loss is not None and pointing_error is not None:
        raise OpticalBudgetError("pointing_loss: give the pointing loss or the pointing error, not both")
    if pointing_error is not None:
        theta = units.to_si(pointing_error, "angle", "pointing_error")
        if theta < 0:
            raise QuantityError(f"pointing_error: {pointing_error!s} is negative (e.g. 2urad)")
        l_point = float(gaussian_pointing_loss_db(theta, g_tx))
    else:
        l_point = units.db(pointing_loss if pointing_loss is not None else "0dB", "pointing_loss",
                           kind="loss", nonnegative=True)
    l_txo = units.db(tx_optics_loss, "tx_optics_loss", kind="loss", nonnegative=True)
    l_rxo = units.db(rx_optics_loss, "rx_optics_loss", kind="loss", nonnegative=True)
    l_atm = units.db(atmospheric_loss, "atmospheric_loss", kind="loss", nonnegative=True)
    l_other = units.db(losses, "losses", kind="loss", nonnegative=True)
    m_req = units.db(margin, "margin", kind="loss")
    fspl = float(optical_fspl_db(d, lam))
    p_rx_dbw = float(db10(p_tx)) + g_tx - l_txo - l_point - fspl - l_atm - l_other + g_rx - l_rxo
    p_rx = 10.0 ** (p_rx_dbw / 10.0)
    e_ph = float(photon_energy_j(lam))
    rate = math.nan if data_rate is None else units.data_rate_bps(data_rate, "data_rate")
    if data_rate is not None and not rate > 0:
        raise QuantityError(f"data_rate: {data_rate!s} is not positive (e.g. 10Gbps)")
    kind, value = units.sensitivity(sensitivity)
    if kind == "photons":
        n_b = value
    else:
        if math.isnan(rate):
            raise OpticalBudgetError("data_rate: a sensitivity given as a power needs the data rate "
                                     "it applies to (e.g. --data-rate 10Gbps), or give photons/bit")
        n_b = value / (e_ph * rate)
    p_req = n_b * e_ph * rate if not math.isnan(rate) else math.nan
    margin_db = p_rx_dbw - float(db10(p_req)) if not math.isnan(rate) else math.nan
    max_rate = p_rx / (n_b * e_ph * 10.0 ** (m_req / 10.0))
    return OpticalBudget(lam, d, p_tx, g_tx, g_rx, l_txo, l_rxo, l_point, l_atm, l_other, fspl,
                         p_rx, e_ph, n_b, rate, p_req, m_req, margin_db, max_rate)
