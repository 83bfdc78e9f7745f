"""Pass tables written block by block: CSV, JSON and Parquet of a :class:`~orbitlink.visibility.Passes`.

A constellation-day has millions of passes (10,361 Starlink TLEs over 198
gateways: 5.2 million).  Their rows as Python dicts, or as one JSON string,
need gigabytes; here the table is formatted :data:`ROWS_PER_BLOCK` rows at a time
and each block is written before the next is built, so the text of at most one
block exists at once.

- :func:`write_passes_csv`: one row per pass, the values of ``--json``'s passes.
- :func:`write_passes_json`: the document :meth:`Passes.to_dict` gives (plus any
  extra top-level keys, e.g. ``statistics``), byte for byte what
  ``json.dump(doc, indent=2, sort_keys=True)`` writes (tested), with the
  ``passes`` list streamed.
- :func:`write_passes_parquet`: the same columns, typed (names dictionary-encoded,
  times as UTC timestamps to the millisecond, floats rounded as in the CSV), one
  row group per block; needs ``orbitlink[parquet]`` (pyarrow).
"""

from __future__ import annotations

import json

import numpy as np

from ..errors import MissingExtraError, OrbitlinkError
from ..times import iso_utc

__all__ = ["ROWS_PER_BLOCK", "float_round", "float_text", "pass_blocks", "require_pyarrow", "write_passes_csv",
           "write_passes_json", "write_passes_parquet"]

# Rows formatted at once: 50,000 rows of text are about 40 MB (CSV, 13 columns) to 60 MB (JSON).
ROWS_PER_BLOCK = 50_000

# The columns before the geometry ones (azimuths, range, Doppler), in CSV order.
BASE_COLUMNS = ("satellite", "station", "aos", "tca", "los", "max_elevation_deg", "duration_s", "aos_cut",
                "los_cut")
FLOAT_DIGITS = {"max_elevation_deg": 4, "duration_s": 3}     # as Passes.rows rounds them


def _blocks(n: int, rows: int):
    rows = max(1, int(rows))
    return (slice(lo, min(lo + rows, n)) for lo in range(0, n, rows))


def pass_blocks(found, rows: int = ROWS_PER_BLOCK):
    """``(part, columns)`` for consecutive blocks of ``rows`` passes: ``columns`` maps each column
    name to its values - name indices (int arrays) for ``satellite``/``station``, ISO 8601 UTC
    strings for the times, bool arrays for the cuts and ``(float64 array, decimals)`` for the
    numbers (rounded as :meth:`Passes.rows` rounds them by :func:`float_text` or
    :func:`float_round`) - in :data:`BASE_COLUMNS` order, then the geometry columns."""
    for part in _blocks(len(found), rows):
        columns = {
            "satellite": found.sat_index[part],
            "station": found.station_index[part],
            "aos": iso_utc(found.start, found.aos_s[part]),
            "tca": iso_utc(found.start, found.tca_s[part]),
            "los": iso_utc(found.start, found.los_s[part]),
            "max_elevation_deg": (np.degrees(found.max_elevation_rad[part]), FLOAT_DIGITS["max_elevation_deg"]),
            "duration_s": (found.los_s[part] - found.aos_s[part], FLOAT_DIGITS["duration_s"]),
            "aos_cut": np.asarray(found.aos_cut[part], dtype=bool),
            "los_cut": np.asarray(found.los_cut[part], dtype=bool),
        }
        columns.update(found.geometry_values(part))
        yield part, columns


def column_names(found) -> list[str]:
    """The table's columns: :data:`BASE_COLUMNS`, then azimuths, range and (with a frequency) Doppler."""
    return list(BASE_COLUMNS) + list(found.select(slice(0, 0)).geometry_values())


def _bools(values) -> list[str]:
    return np.where(values, "true", "false").tolist()


# --- numbers as Python writes them, in bulk ---------------------------------------------------------

# Past this |x * 10**digits| the product's rounding error could reach 1e-7 and the fast path
# below is not used.
_FAST_LIMIT = 1e9
_FRACTIONS: dict[int, np.ndarray] = {}


def _fractions(digits: int) -> np.ndarray:
    """``".0"``, ``".0001"``, ..., ``".9999"`` without trailing zeros, indexed by the fraction's integer."""
    if digits not in _FRACTIONS:
        text = [("." + f"{k:0{digits}d}".rstrip("0")).rstrip(".") or ".0" for k in range(10**digits)] \
            if digits else [".0"]
        _FRACTIONS[digits] = np.asarray([t if t != "." else ".0" for t in text])
    return _FRACTIONS[digits]


# Whole parts below this are looked up as text (with their sign: entry n + k is "k", n - 1 - k
# is "-k"): azimuths, elevations, ranges in km, durations; 4.8 MB of text, built once.
_WHOLE_LOOKUP = 10**5
_WHOLE: list = []


def _wholes() -> np.ndarray:
    if not _WHOLE:
        plain = [str(k) for k in range(_WHOLE_LOOKUP)]
        _WHOLE.append(np.asarray(["-" + t for t in reversed(plain)] + plain))
    return _WHOLE[0]


def _scaled(values, digits: int):
    """``(x, q, slow)``: ``q = rint(x * 10**digits)``, which is Python's correctly rounded
    ``round(x, digits) * 10**digits`` wherever ``slow`` is False; ``slow`` marks non-finite or
    huge values and products within 1e-6 of a half (where the product's own rounding could
    decide the tie differently from the exact value)."""
    x = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        y = x * 10.0**digits
        q = np.rint(y)
        slow = ~(np.abs(y) < _FAST_LIMIT) | (np.abs(np.abs(y - np.floor(y)) - 0.5) < 1e-6)
    return x, q, slow


def float_round(values, digits: int) -> np.ndarray:
    """``[round(v, digits) for v in values]`` as a float64 array, computed in bulk (equal, tested)."""
    x, q, slow = _scaled(values, digits)
    out = np.where(slow, 0.0, q) / 10.0**digits       # q < 2**53 and 10**d exact: the nearest double
    if slow.any():
        out[slow] = [round(v, digits) for v in x[slow].tolist()]
    return out


def float_text(values, digits: int) -> list[str]:
    """``[repr(round(v, digits)) for v in values]``: how ``json`` and the CSV write each number
    (``12.0``, ``-0.0``, ``183.3564``), computed in bulk (equal, tested): the rounded value's
    shortest repr is its decimal digits up to the last non-zero decimal."""
    x, q, slow = _scaled(values, digits)
    a = np.where(slow, 0.0, np.abs(q)).astype(np.int64)
    scale = 10**digits
    whole, fraction = a // scale, _fractions(digits)[a % scale]
    negative = np.signbit(q) & ~slow
    if whole.size and whole.max() < _WHOLE_LOOKUP:
        text = np.char.add(_wholes()[np.where(negative, _WHOLE_LOOKUP - 1 - whole, _WHOLE_LOOKUP + whole)],
                           fraction)
    else:
        text = np.char.add(np.char.add(np.where(negative, "-", ""), whole.astype(str)), fraction)
    # repr switches to exponents below 1e-4: only reachable with more than 4 decimals.
    tiny = (a > 0) & (a < 10 ** max(digits - 4, 0))
    out = text.tolist()
    for i in np.flatnonzero(slow | tiny).tolist():
        out[i] = repr(round(float(x[i]), digits))
    return out


# --- CSV ----------------------------------------------------------------------------------------

def write_passes_csv(f, found, rows: int = ROWS_PER_BLOCK) -> None:
    """One CSV row per pass (header first), written ``rows`` passes at a time."""
    keys = column_names(found)
    f.write(",".join(keys) + "\n")
    sat_names = np.asarray([csv_field(n) for n in found.satellites] or [""], dtype=object)
    sta_names = np.asarray([csv_field(n) for n in found.stations.names] or [""], dtype=object)
    for _, col in pass_blocks(found, rows):
        text = [sat_names[col["satellite"]].tolist(), sta_names[col["station"]].tolist(),
                col["aos"], col["tca"], col["los"]]
        text += [_bools(col[k]) if k in ("aos_cut", "los_cut") else float_text(*col[k]) for k in keys[5:]]
        f.write("\n".join(map(",".join, zip(*text))) + "\n")


def csv_field(text: str) -> str:
    """``text`` as one CSV field: quoted (quotes doubled) only when it holds a comma, quote,
    newline or carriage return (a lone CR ends a row for most CSV readers); the CLI's rule too."""
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n\r') else text


# --- JSON ---------------------------------------------------------------------------------------

# Stands for the passes list in the document's skeleton; JSON escapes the NULs, so no name
# or value of the document can spell the escaped form.
_PLACEHOLDER = "\x00orbitlink-passes\x00"


def write_passes_json(f, found, extra: dict | None = None, rows: int = ROWS_PER_BLOCK) -> None:
    """``found.to_dict()`` (updated with ``extra``) as ``json.dump(..., indent=2, sort_keys=True)``
    writes it, plus a final newline; the passes list is formatted ``rows`` passes at a time."""
    doc = found.summary_dict()
    doc.update(extra or {})
    doc["passes"] = _PLACEHOLDER
    skeleton = json.dumps(doc, indent=2, sort_keys=True, allow_nan=False)
    token = json.dumps(_PLACEHOLDER)
    head, found_it, tail = skeleton.partition(": " + token)
    assert found_it, "the passes placeholder is a top-level value of the skeleton"
    f.write(head + ": ")
    if not len(found):
        f.write("[]")
    else:
        f.write("[\n")
        keys = sorted(column_names(found))
        # '    {\n      "aos": %s,\n ... \n    }': the layout json.dump gives a dict at depth 2.
        template = "    {\n" + ",\n".join(f"      {json.dumps(k)}: %s" for k in keys) + "\n    }"
        sat_names = np.asarray([json.dumps(n) for n in found.satellites], dtype=object)
        sta_names = np.asarray([json.dumps(n) for n in found.stations.names], dtype=object)
        first = True
        for part, col in pass_blocks(found, rows):
            text = {"satellite": sat_names[col["satellite"]].tolist(),
                    "station": sta_names[col["station"]].tolist()}
            for k in ("aos", "tca", "los"):
                text[k] = ['"' + s + '"' for s in col[k]]     # ISO 8601: digits, '-', ':', '.', 'T', 'Z'
            for k in ("aos_cut", "los_cut"):
                text[k] = _bools(col[k])
            for k in keys:
                if k not in text:
                    text[k] = _json_numbers(col[k], k, part.start)
            block = ",\n".join(template % row for row in zip(*(text[k] for k in keys)))
            f.write(block if first else ",\n" + block)
            first = False
        f.write("\n  ]")
    f.write(tail + "\n")


def _json_numbers(column, key: str, offset: int) -> list[str]:
    """JSON numbers as ``json`` writes floats (``float.__repr__``); a non-finite value is an error
    there (``allow_nan=False``) and here."""
    values, digits = column
    finite = np.isfinite(values)
    if not finite.all():
        bad = int(np.argmin(finite))
        raise OrbitlinkError(f"json: pass {offset + bad} has a non-finite {key} ({values[bad]}), which JSON "
                             "cannot hold; use --csv")
    return float_text(values, digits)


# --- Parquet ------------------------------------------------------------------------------------

def require_pyarrow(what: str = "Parquet output (--parquet)"):
    """The ``pyarrow`` and ``pyarrow.parquet`` modules, or :class:`MissingExtraError` naming
    ``pip install "orbitlink[parquet]"``."""
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingExtraError("parquet", "pyarrow", what) from exc
    return pyarrow, pq


def parquet_schema(found):
    """The Arrow schema of a pass table: names as dictionary strings, times as UTC timestamps
    (ms), numbers float64, cuts bool; the document's other keys (window, stations, minimum
    elevations, frequency) as JSON in the ``orbitlink.passes`` metadata."""
    pa, _ = require_pyarrow()
    fields = [pa.field("satellite", pa.dictionary(pa.int32(), pa.string())),
              pa.field("station", pa.dictionary(pa.int32(), pa.string()))]
    fields += [pa.field(k, pa.timestamp("ms", tz="UTC")) for k in ("aos", "tca", "los")]
    for k in column_names(found)[5:]:
        fields.append(pa.field(k, pa.bool_() if k in ("aos_cut", "los_cut") else pa.float64()))
    meta = json.dumps(found.summary_dict(), sort_keys=True, allow_nan=False)
    return pa.schema(fields, metadata={"orbitlink.passes": meta})


def write_passes_parquet(f, found, rows: int = ROWS_PER_BLOCK) -> None:
    """The pass table as Parquet into the binary file ``f``, one row group per ``rows`` passes."""
    pa, pq = require_pyarrow()
    schema = parquet_schema(found)
    sat_names = pa.array(list(found.satellites), pa.string())
    sta_names = pa.array(list(found.stations.names), pa.string())
    with pq.ParquetWriter(f, schema, compression="zstd") as writer:
        if not len(found):
            writer.write_table(schema.empty_table())
            return
        for _, col in pass_blocks(found, rows):
            arrays = [pa.DictionaryArray.from_arrays(pa.array(col["satellite"], pa.int32()), sat_names),
                      pa.DictionaryArray.from_arrays(pa.array(col["station"], pa.int32()), sta_names)]
            arrays += [pa.array(_milliseconds(col[k]), pa.timestamp("ms", tz="UTC")) for k in ("aos", "tca", "los")]
            for field in list(schema)[5:]:
                values = col[field.name]
                arrays.append(pa.array(values if field.type == pa.bool_() else float_round(*values), field.type))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema), row_group_size=rows)


def _milliseconds(iso: list[str]) -> np.ndarray:
    """ISO 8601 UTC labels (``...Z``, ms) as datetime64[ms]: the instants the CSV names."""
    try:
        return np.asarray([s[:-1] for s in iso], dtype="datetime64[ms]")
    except ValueError:
        raise OrbitlinkError("parquet: a pass time falls inside a leap second (23:59:60), which a Parquet "
                             "timestamp cannot hold; use --csv or --json") from None
