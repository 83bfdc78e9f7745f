"""DVB-S2 / DVB-S2X MODCOD thresholds and adaptive-coding selection.

The table ``ephemeris/modcod/dvbs2x.csv`` holds, for every normal-FECFRAME
(64 800-bit) MODCOD, the ideal Es/N0 the standard lists for an AWGN channel and
the spectral efficiency in information bits per transmitted symbol:

- DVB-S2: ETSI EN 302 307-1 V1.4.1, Table 13 (quasi-error-free, PER 1e-7);
- DVB-S2X: ETSI EN 302 307-2, Table 20a (the new MODCODs of the extension).

Provenance, the criteria behind each column and the one row whose efficiency
is uncertain are in ``ephemeris/modcod/README.md``.  The efficiency column is
checked on load against the frame structure (:func:`frame_efficiency`), so a
typing error in it cannot go unnoticed.

Selection (:meth:`ModcodTable.best`) is vectorized: the MODCODs are sorted by
threshold and reduced to the efficiency frontier once, after which picking the
best MODCOD for N values of Es/N0 is one ``searchsorted``.
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass

import numpy as np

from ..errors import ModcodError

__all__ = ["Modcod", "ModcodTable", "STANDARDS", "frame_efficiency", "load_table"]

# "dvbs2" is the original standard's 28 MODCODs; "dvbs2x" adds the extension's
# (a DVB-S2X modem also runs every DVB-S2 MODCOD).
STANDARDS = ("dvbs2", "dvbs2x")
PLHEADER_SYMBOLS = 90     # EN 302 307-1 clause 5.5.2: SOF (26) + PLS code (64)
BBHEADER_BITS = 80        # EN 302 307-1 clause 5.1.6: carried in every BBFRAME
NORMAL_FRAME_BITS = 64800
SLOT_SYMBOLS = 90



def frame_efficiency(bits_per_symbol, k_bch, n_ldpc: int = NORMAL_FRAME_BITS):
    """Information bits per transmitted symbol of a PLFRAME without pilots.

    ``(K_bch - 80 BBHEADER bits) / (N_ldpc / bits_per_symbol padded to whole
    90-symbol slots + 90 PLHEADER symbols)``.  This is how the efficiency
    columns of EN 302 307-1 Table 13 and EN 302 307-2 Table 20a are defined
    (QPSK 1/2: 32128 / 32490 = 0.988858); 128APSK frames are padded to 103
    slots because 64 800 / 7 is not a whole number of symbols.
    """
    bits = np.asarray(bits_per_symbol, dtype=np.float64)
    data_symbols = np.ceil(n_ldpc / bits / SLOT_SYMBOLS) * SLOT_SYMBOLS
    return (np.asarray(k_bch, dtype=np.float64) - BBHEADER_BITS) / (data_symbols + PLHEADER_SYMBOLS)


@dataclass(frozen=True)
class Modcod:
    """One MODCOD: threshold (ideal Es/N0 over AWGN) and efficiency (bit/symbol)."""

    name: str
    standard: str
    modulation: str
    code_rate: str
    bits_per_symbol: int
    k_bch: int
    esn0_db: float
    spectral_efficiency: float
    status: str

    @property
    def ebn0_db(self) -> float:
        """Required Eb/N0: Es/N0 less 10 log10 of the information bits per symbol."""
        return self.esn0_db - 10.0 * math.log10(self.spectral_efficiency)

    def to_dict(self) -> dict:
        return {"modcod": self.name, "standard": self.standard, "esn0_db": self.esn0_db,
                "ebn0_db": round(self.ebn0_db, 6),
                "spectral_efficiency_bit_per_symbol": self.spectral_efficiency,
                "status": self.status}


@dataclass(frozen=True, eq=False)
class ModcodTable:
    """MODCODs as parallel arrays sorted by threshold, plus the efficiency frontier."""

    modcods: tuple[Modcod, ...]
    esn0_db: np.ndarray               # (M,) ascending
    spectral_efficiency: np.ndarray   # (M,)
    _frontier: np.ndarray             # (M,) index of the best MODCOD with threshold <= esn0_db[k]

    @classmethod
    def from_modcods(cls, modcods) -> "ModcodTable":
        ordered = sorted(modcods, key=lambda m: (m.esn0_db, -m.spectral_efficiency))
        es = np.array([m.esn0_db for m in ordered], dtype=np.float64)
        eff = np.array([m.spectral_efficiency for m in ordered], dtype=np.float64)
        # Running argmax of the efficiency over ascending thresholds: a MODCOD
        # that needs more Es/N0 for no more efficiency is never chosen (on ties
        # the one with the lower threshold wins, i.e. the one with more margin).
        frontier = np.zeros(len(ordered), dtype=np.int64)
        best = 0
        for k in range(len(ordered)):  # M ~ 66 rows, once per table
            if eff[k] > eff[best]:
                best = k
            frontier[k] = best
        for arr in (es, eff, frontier):
            arr.setflags(write=False)
        return cls(tuple(ordered), es, eff, frontier)

    def __len__(self) -> int:
        return len(self.modcods)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.modcods)

    def get(self, name: str) -> Modcod:
        """The MODCOD called ``name`` ("QPSK 1/2", "256apsk 3/4"; case and spaces ignored)."""
        key = "".join(name.split()).upper()
        for m in self.modcods:
            if "".join(m.name.split()).upper() == key:
                return m
        raise ModcodError(f"modcod: unknown MODCOD {name!r} (e.g. 'QPSK 1/2' or '32APSK 9/10')")

    @property
    def lowest_threshold_db(self) -> float:
        return float(self.esn0_db[0])

    def best(self, esn0_db, required_db=0.0) -> np.ndarray:
        """Index (into :attr:`modcods`) of the most efficient MODCOD that closes, -1 if none.

        A MODCOD closes when ``esn0_db - required_db >= threshold``, where
        ``required_db`` is the required margin plus implementation losses.
        Vectorized over any shape of ``esn0_db``; NaN never closes.
        """
        x = np.asarray(esn0_db, dtype=np.float64) - required_db
        # side="right": a link exactly at threshold closes.
        k = np.searchsorted(self.esn0_db, np.where(np.isnan(x), -np.inf, x), side="right") - 1
        return np.where(k >= 0, self._frontier[np.maximum(k, 0)], -1)

    def efficiency_of(self, index) -> np.ndarray:
        """Spectral efficiency (bit/symbol) of indices from :meth:`best`; 0 where -1."""
        index = np.asarray(index)
        return np.where(index >= 0, self.spectral_efficiency[np.maximum(index, 0)], 0.0)


@functools.lru_cache(maxsize=None)
def _read_rows() -> tuple[Modcod, ...]:
    from ..data import ephemeris_path

    path = ephemeris_path("modcod", "dvbs2x.csv")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    rows = []
    for rec in csv.DictReader(lines):
        m = Modcod(rec["modcod"], rec["standard"], rec["modulation"], rec["code_rate"],
                   int(rec["bits_per_symbol"]), int(rec["k_bch"]), float(rec["esn0_db"]),
                   float(rec["spectral_efficiency"]), rec["status"])
        # The efficiency column is redundant with k_bch and the modulation: a
        # mismatch means the shipped file was damaged or mistyped.
        derived = float(frame_efficiency(m.bits_per_symbol, m.k_bch))
        if abs(derived - m.spectral_efficiency) > 1e-6:
            raise ModcodError(f"modcod table: {m.name} efficiency {m.spectral_efficiency} does not "
                              f"match its frame structure ({derived:.6f}); the data file is damaged")
        rows.append(m)
    return tuple(rows)


@functools.lru_cache(maxsize=None)
def load_table(standard: str = "dvbs2x") -> ModcodTable:
    """The MODCODs a modem of ``standard`` ("dvbs2" or "dvbs2x") can use."""
    key = str(standard).lower().replace("-", "").replace("_", "")
    if key not in STANDARDS:
        raise ModcodError(f"modcods: {standard!r} is not one of {', '.join(STANDARDS)}")
    rows = _read_rows()
    if key == "dvbs2":
        rows = tuple(m for m in rows if m.standard == "DVB-S2")
    return ModcodTable.from_modcods(rows)
