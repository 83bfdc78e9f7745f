"""Rebuild ``ne_110m_coastline.geojson`` from Natural Earth 1:110m country polygons.

Source (no web download needed, only PyPI):

    pip download --no-deps geopandas==0.14.4 -d /tmp/gpd
    python ephemeris/coastline/build_coastline.py /tmp/gpd/geopandas-0.14.4-py3-none-any.whl

The geopandas 0.14.4 wheel (sha256 below) ships
``geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp``: Natural Earth
1:110m Cultural Vectors, "Admin 0 - Countries" (public domain), as redistributed
by geopandas (removed in geopandas 1.0).  This script reads that shapefile
straight from the wheel with a small pure-Python parser (no geopandas, no pyshp),
dissolves the countries into land with shapely, and writes:

* feature ``land``: MultiPolygon of the land (for filling the map background);
* feature ``coastline``: MultiLineString, the land boundary without the
  artificial edges that Natural Earth draws along the antimeridian (Russia, Fiji)
  and along the south pole (Antarctica closed at -90 deg).

Coordinates are lon/lat degrees (WGS 84) rounded to 0.01 deg, repeated points
dropped.  Needs only numpy and shapely (both orbitlink dependencies).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString, MultiLineString, MultiPolygon, Polygon, mapping

WHEEL_NAME = "geopandas-0.14.4-py3-none-any.whl"
WHEEL_SHA256 = "3bb6473cb59d51e1a7fe2dbc24a1a063fb0ebdeddf3ce08ddbf8c7ddc99689aa"
SHP_MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp"
SHP_SHA256 = "1f689e60b357e1e98702d5d9f774e95e77fc6b324487cadf57eb9317d533ce12"

DECIMALS = 2            # 0.01 deg ~ 1.1 km, far below the 1:110m source accuracy
MIN_HOLE_DEG2 = 1.0     # holes in the dissolved land smaller than this are slivers
EDGE_TOL_DEG = 1e-6     # a vertex this close to +-180 lon or -90 lat is on the map frame

OUT = Path(__file__).with_name("ne_110m_coastline.geojson")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_polygons(shp: bytes) -> list[list[np.ndarray]]:
    """ESRI shapefile (type 5, Polygon) -> per record a list of (N, 2) rings."""
    code, = struct.unpack(">i", shp[:4])
    length = struct.unpack(">i", shp[24:28])[0] * 2
    shape_type, = struct.unpack("<i", shp[32:36])
    if code != 9994 or shape_type != 5 or length != len(shp):
        raise SystemExit(f"not a polygon shapefile (code {code}, type {shape_type})")
    records, pos = [], 100
    while pos < length:
        _num, words = struct.unpack(">2i", shp[pos:pos + 8])
        content = shp[pos + 8:pos + 8 + 2 * words]
        pos += 8 + 2 * words
        rtype, = struct.unpack("<i", content[:4])
        if rtype == 0:  # null shape
            continue
        n_parts, n_points = struct.unpack("<2i", content[36:44])
        parts = np.frombuffer(content, "<i4", n_parts, 44)
        xy = np.frombuffer(content, "<f8", 2 * n_points, 44 + 4 * n_parts).reshape(-1, 2)
        bounds = list(parts) + [n_points]
        records.append([xy[a:b].copy() for a, b in zip(bounds[:-1], bounds[1:])])
    return records


def record_polygon(rings: list[np.ndarray]):
    """Shapefile rule: clockwise rings are shells, counter-clockwise rings holes."""
    shells, holes = [], []
    for ring in rings:
        (holes if LinearRing(ring).is_ccw else shells).append(Polygon(ring).buffer(0))
    geom = shapely.union_all(shells)
    if holes:
        geom = geom.difference(shapely.union_all(holes))
    return geom


def round_ring(coords) -> np.ndarray:
    xy = np.round(np.asarray(coords, float), DECIMALS)
    keep = np.r_[True, np.any(np.diff(xy, axis=0) != 0, axis=1)]
    return xy[keep]


def on_frame(a: np.ndarray, b: np.ndarray) -> bool:
    """Is segment a-b drawn along the map frame (antimeridian or south pole)?"""
    if abs(abs(a[0]) - 180) < EDGE_TOL_DEG and abs(b[0] - a[0]) < EDGE_TOL_DEG:
        return True
    return a[1] < -90 + EDGE_TOL_DEG and b[1] < -90 + EDGE_TOL_DEG


def coast_pieces(ring: np.ndarray) -> list[np.ndarray]:
    """Cut a closed ring at frame segments; returns the open coastline pieces."""
    n = len(ring) - 1  # closed: ring[0] == ring[-1]
    frame = np.array([on_frame(ring[k], ring[k + 1]) for k in range(n)])
    if not frame.any():
        return [ring]
    # Rotate so the ring starts just after a frame segment: pieces never wrap.
    k0 = int(np.flatnonzero(frame)[0]) + 1
    seq = np.vstack([ring[k0:n], ring[:k0 + 1]])
    frame = np.r_[frame[k0:], frame[:k0]]
    pieces, start = [], 0
    for k in range(n):
        if frame[k]:
            if k > start:
                pieces.append(seq[start:k + 1])
            start = k + 1
    return [p for p in pieces if len(p) > 1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help=f"path to {WHEEL_NAME}")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    wheel = args.wheel.read_bytes()
    if sha256(wheel) != WHEEL_SHA256:
        print(f"warning: {args.wheel.name} sha256 differs from {WHEEL_SHA256}", file=sys.stderr)
    with zipfile.ZipFile(args.wheel) as zf:
        shp = zf.read(SHP_MEMBER)
    if sha256(shp) != SHP_SHA256:
        raise SystemExit(f"{SHP_MEMBER}: sha256 {sha256(shp)} != {SHP_SHA256}")

    countries = [record_polygon(rings) for rings in read_polygons(shp)]
    # Snap to the 0.01 deg grid topologically (set_precision keeps the result valid,
    # unlike rounding each vertex on its own).
    land = shapely.set_precision(shapely.union_all(countries), 10.0 ** -DECIMALS)
    polys = list(land.geoms) if isinstance(land, MultiPolygon) else [land]

    land_out, coast_out, dropped = [], [], 0
    for poly in polys:
        holes = []
        for hole in poly.interiors:
            if Polygon(hole).area < MIN_HOLE_DEG2:
                dropped += 1
                continue
            holes.append(hole)
        shell = round_ring(poly.exterior.coords)
        holes_r = [round_ring(h.coords) for h in holes]
        if len(shell) < 4:
            continue
        land_out.append(Polygon(shell, [h for h in holes_r if len(h) >= 4]))
        for ring in [shell, *holes_r]:
            coast_out.extend(coast_pieces(ring))

    fc = {
        "type": "FeatureCollection",
        "properties": {
            "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), "
                      f"via {WHEEL_NAME}:{SHP_MEMBER}",
            "decimals": DECIMALS,
        },
        "features": [
            {"type": "Feature", "properties": {"name": "land"},
             "geometry": mapping(MultiPolygon(land_out))},
            {"type": "Feature", "properties": {"name": "coastline"},
             "geometry": mapping(MultiLineString([LineString(p) for p in coast_out]))},
        ],
    }
    text = json.dumps(fc, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    n_pts = sum(len(p) for p in coast_out)
    print(f"{args.out}: {len(land_out)} land polygons, {len(coast_out)} coastline pieces, "
          f"{n_pts} coastline vertices, {dropped} sliver holes dropped, "
          f"{args.out.stat().st_size} bytes, sha256 {sha256(args.out.read_bytes())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
