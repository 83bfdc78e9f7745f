"""The space of candidate systems: comma lists read and checked before any work.

A candidate is a Walker shell of compute satellites (``satellites``/``planes``/phasing on an
orbit and inclination) with an ISL pattern and a relay.  A *family* is every candidate that
differs only in the satellite count; :mod:`.search` bisects the count inside a family.

``planes="auto"`` picks, for each total T, the divisor of T nearest sqrt(T) (the larger one on
a tie): near-square shells, as the usual design rule (Walker 1984; Starlink's 1584/72 and
OneWeb's 648/18 are of that order).  The phasing is F = 1 (0 with one plane).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import DesignError, OrbitlinkError  # noqa: F401  (DesignError: re-exported)


ISL_CHOICES = ("none", "grid", "nearest")
RELAY_FORM = ("none, geo, a relay Walker shell T/P/F[:ALTITUDE[:INCLINATION]] such as "
              "66/6/1:780km:86.4deg, or a TLE/OMM file")


@dataclass(frozen=True)
class Candidate:
    """One candidate system (hashable: the key of every shared computation)."""

    orbit: str                   # "550km" or "sso:650km:18:00"
    inclination_deg: float | None  # None for sun-synchronous shells
    satellites: int
    planes: int
    isl: str                     # "none", "grid" or "nearest"
    relay: str                   # "none", "geo", a Walker shell spec or a file path
    planes_rule: str = ""        # "auto" or "" (a fixed plane count): part of the family

    @property
    def per_plane(self) -> int:
        return self.satellites // self.planes

    @property
    def phasing(self) -> int:
        """F of T/P/F: 1 for a shell whose per-plane count k is odd; doubling k doubles F (mod P),
        which keeps the offset between adjacent planes, F x 360/T, so the doubled shell contains
        the first one (every second satellite of each plane)."""
        if self.planes == 1:
            return 0
        k = self.per_plane
        return (k & -k) % self.planes      # 2**j, where 2**j is the largest power of 2 dividing k

    @property
    def family(self) -> tuple:
        """A family is a chain of shells each containing the last: same orbit, inclination, plane
        count, ISL and relay, and per-plane counts m, 2m, 4m, ... (m odd).  A larger member has
        every satellite of a smaller one at the same place, so every path of the smaller one
        exists in the larger: availability never falls along a family."""
        k = self.per_plane
        return (self.orbit, self.inclination_deg, self.planes, k // (k & -k), self.isl, self.relay)

    @property
    def group(self) -> tuple:
        """What the bisection varies the count within: every field but the count (and, with
        ``--planes auto``, the plane count that follows from it)."""
        return (self.orbit, self.inclination_deg, self.planes_rule or self.planes, self.isl, self.relay)

    @property
    def walker(self) -> str:
        return f"{self.satellites}/{self.planes}/{self.phasing}"

    @property
    def label(self) -> str:
        inc = "" if self.inclination_deg is None else f" {self.inclination_deg:g}deg"
        return f"{self.orbit}{inc} {self.walker} isl {self.isl} relay {self.relay}"


def split_list(value, field: str) -> list[str]:
    """``"a,b, c"`` (or a list/tuple of items) -> ``["a", "b", "c"]``; empty items refused."""
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    else:
        items = [x.strip() for x in str(value).split(",")]
    if not items or any(x == "" for x in items):
        raise DesignError(f"{field}: {value!r} has an empty item (a comma list, e.g. "
                          f"{_EXAMPLES.get(field, 'a,b')})")
    return list(dict.fromkeys(items))


_EXAMPLES = {"orbit": "550km,sso:650km:18:00", "inclination": "53deg,70deg", "satellites": "60,120,240",
             "planes": "auto or 6,12", "isl": "none,grid", "relay": "none,geo"}


def positive_counts(value, field: str) -> list[int]:
    out = []
    for item in split_list(value, field):
        try:
            n = int(item)
        except ValueError:
            n = None
        if n is None or n < 1:
            raise DesignError(f"{field}: {item!r} is not a positive whole number (a comma list such as "
                              f"{_EXAMPLES[field]})")
        out.append(n)
    return sorted(set(out))


def auto_planes(total: int) -> int:
    """The divisor of ``total`` nearest sqrt(total), the larger one on a tie."""
    root = math.sqrt(total)
    divisors = [d for d in range(1, total + 1) if total % d == 0]
    return min(divisors, key=lambda d: (abs(d - root), -d))


def read_relays(value) -> dict:
    """{spec: relay as round_trip takes it (None, "geo", an OrbitSet or an ElementSet), ...}."""
    from ..orbits import parse_walker_shell

    relays = {}
    for item in split_list(value, "relay"):
        low = item.lower()
        if low == "none":
            relays["none"] = None
        elif low == "geo":
            relays["geo"] = "geo"
        elif Path(item).is_file():
            from ..elements import load_elements

            try:
                relays[item] = load_elements(item)
            except OrbitlinkError as exc:
                raise DesignError(f"relay: {item!r}: {exc} ({RELAY_FORM})") from None
        elif "/" in item and not item.endswith((".tle", ".txt", ".json", ".csv")):
            try:
                relays[item] = parse_walker_shell(item, field="relay", name="relay")
            except OrbitlinkError:
                raise DesignError(f"relay: cannot read {item!r} ({RELAY_FORM})") from None
        else:
            raise DesignError(f"relay: {item!r} is not a relay ({RELAY_FORM})")
    return relays


def read_orbits(orbits, inclinations) -> list[tuple[str, float | None]]:
    """(orbit spec, inclination deg or None) pairs; sun-synchronous shells take no inclination."""
    import astropy.units as u

    from ..orbits import _shell_spec
    from ..units import to_si

    specs = split_list(orbits, "orbit")
    for spec in specs:
        try:
            _shell_spec(spec)
        except OrbitlinkError as exc:
            raise DesignError(f"{exc} (a comma list such as {_EXAMPLES['orbit']})") from None
    incs = [round(math.degrees(to_si(x, "angle", "inclination", lo=0 * u.deg, hi=180 * u.deg)), 9)
            for x in split_list(inclinations, "inclination")]
    pairs = []
    for spec in specs:
        if spec.lower().startswith("sso:"):
            pairs.append((spec, None))
        else:
            pairs.extend((spec, i) for i in incs)
    return list(dict.fromkeys(pairs))


def build_space(*, orbits="550km", inclinations="53deg", satellites, planes="auto", isl="none",
                relay="none") -> tuple[list[Candidate], dict]:
    """Every candidate of the grid (sorted: family, then count) and the relays read by spec.

    Raises :class:`DesignError` for an empty space, a count that is not a positive whole
    number, a plane count that does not divide a satellite count, a bad ISL or relay."""
    pairs = read_orbits(orbits, inclinations)
    counts = positive_counts(satellites, "satellites")
    plane_items = split_list(planes, "planes")
    auto = [p for p in plane_items if p.lower() == "auto"]
    fixed = positive_counts([p for p in plane_items if p.lower() != "auto"], "planes") \
        if len(auto) < len(plane_items) else []
    for p in fixed:
        bad = [n for n in counts if n % p]
        if bad:
            raise DesignError(f"planes: {p} planes do not divide {bad[0]} satellites (--planes auto, or plane "
                              "counts that divide every --satellites count)")
    isls = split_list(isl, "isl")
    for x in isls:
        if x not in ISL_CHOICES:
            raise DesignError(f"isl: {x!r} is not an ISL pattern (a comma list of none, grid, nearest)")
    relays = read_relays(relay)
    cands = []
    for orbit, inc in pairs:
        for x in isls:
            for r in relays:
                for n in counts:
                    if auto:
                        cands.append(Candidate(orbit, inc, n, auto_planes(n), x, r, "auto"))
                    cands.extend(Candidate(orbit, inc, n, p, x, r) for p in fixed)
    cands = sorted(set(cands), key=sort_key)
    if not cands:
        raise DesignError("design: the search space is empty (give --satellites and at least one --orbit)")
    return cands, relays


def sort_key(c: Candidate) -> tuple:
    return (c.orbit, -1.0 if c.inclination_deg is None else c.inclination_deg, str(c.planes_rule or c.planes),
            c.isl, c.relay, c.satellites, c.planes)


def between(c_lo: Candidate, c_hi: Candidate) -> Candidate | None:
    """The family member half way between two counts, or None when no count lies between.

    Fixed planes: counts are multiples of the plane count; auto planes: any count."""
    if c_lo.planes_rule == "auto":
        # The count nearest the middle whose shell has at least sqrt(T)/2 planes (a prime
        # count would make a single plane).
        lo, hi = c_lo.satellites, c_hi.satellites
        mid = (lo + hi) // 2
        for n in sorted(range(lo + 1, hi), key=lambda n: (abs(n - mid), n)):
            if auto_planes(n) >= math.sqrt(n) / 2:
                return Candidate(c_lo.orbit, c_lo.inclination_deg, n, auto_planes(n), c_lo.isl, c_lo.relay, "auto")
        return None
    p = c_lo.planes
    k_lo, k_hi = c_lo.satellites // p, c_hi.satellites // p
    if k_hi - k_lo < 2:
        return None
    return Candidate(c_lo.orbit, c_lo.inclination_deg, p * ((k_lo + k_hi) // 2), p, c_lo.isl, c_lo.relay)


__all__ = ["Candidate", "DesignError", "ISL_CHOICES", "auto_planes", "between", "build_space",
           "positive_counts", "read_orbits", "read_relays", "sort_key", "split_list"]
