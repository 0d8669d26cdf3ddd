"""Decoded reads of one topic: column batches from libauki turned into dicts or a DataFrame.

libauki decodes the payloads (``core/Datatypes/PayloadTable``: the wire bytes walked against the
message descriptors, one implementation for C, Python and the CLI) into column batches; this
module only copies each column of a batch out once — ``numpy.frombuffer`` over the bytes for a
DataFrame, ``memoryview.cast(...).tolist()`` for dicts — and, for ``get_data``, builds one nested
dict per row with a function compiled once per schema.
"""

import ctypes
import json

from _auki._errors import check
from _auki._ffi import lib
from _auki._json import loads
from _auki._managed import Managed
from _auki._strings import call_string

#: Rows and variable-width bytes asked of the library per batch.
BATCH_ROWS = 65536
BATCH_BYTES = 16 << 20

# memoryview/struct formats (little-endian machine: libauki is built for linux-x64) and numpy dtypes.
_FORMATS = {"float64": "d", "float32": "f", "int64": "q", "uint64": "Q", "int32": "i", "uint32": "I", "bool": "?"}
_WIDTHS = {"float64": 8, "float32": 4, "int64": 8, "uint64": 8, "int32": 4, "uint32": 4, "bool": 1}
_DTYPES = {"float64": "<f8", "float32": "<f4", "int64": "<i8", "uint64": "<u8", "int32": "<i4", "uint32": "<u4", "bool": "?"}

_PANDAS_MISSING = (
    "get_data_as_df needs pandas (and numpy): install them (Debian: apt-get install python3-pandas; "
    "pip: pip install pandas), or use get_data(), which yields (timestamp_ns, dict) with the standard library only"
)


class _Table(Managed):
    __slots__ = ()
    _free = lib.auki_activity_table_free


def open_table(store, session_id, topic, lo, hi, include, exclude):
    """An open ``auki_activity_table`` and its column list (``[{"path", "kind"[, "element"]}]``)."""
    fields = None
    if include is not None or exclude is not None:
        fields = json.dumps({"include": include, "exclude": exclude}).encode("utf-8")
    out = ctypes.c_void_p()
    check(lib.auki_activity_table_open(
        ctypes.byref(out), store._encoded, session_id, topic,
        None if lo is None else ctypes.byref(ctypes.c_int64(lo)),
        None if hi is None else ctypes.byref(ctypes.c_int64(hi)),
        fields,
    ))
    table = _Table()
    table._set_handle(out.value)
    try:
        columns = loads(call_string(lib.auki_activity_table_schema, table._ptr()))["columns"]
    except BaseException:
        table.close()
        raise
    return table, columns


def _batches(table, columns):
    """Per batch ``(rows, timestamp_bytes, [(data_bytes, offsets_list_or_None)])``; closes the table at the end."""
    with table:
        rows = ctypes.c_size_t()
        stamps = ctypes.c_void_p()
        data, length, offsets = ctypes.c_void_p(), ctypes.c_size_t(), ctypes.c_void_p()
        byref, string_at = ctypes.byref, ctypes.string_at
        while True:
            check(lib.auki_activity_table_next(table._ptr(), BATCH_ROWS, BATCH_BYTES, byref(rows)))
            n = rows.value
            if n == 0:
                return
            check(lib.auki_activity_table_timestamps(table._ptr(), byref(stamps)))
            ts = string_at(stamps.value, 8 * n)
            cols = []
            for i in range(len(columns)):
                check(lib.auki_activity_table_column(table._ptr(), i, byref(data), byref(length), byref(offsets)))
                raw = string_at(data.value, length.value) if length.value else b""
                ends = memoryview(string_at(offsets.value, 8 * (n + 1))).cast("Q").tolist() if offsets.value else None
                cols.append((raw, ends))
            yield n, ts, cols


def _values(column, raw, ends, n):
    """One batch of one column as a Python list."""
    kind = column["kind"]
    if kind in _FORMATS:
        return memoryview(raw).cast(_FORMATS[kind]).tolist() if n else []
    pieces = [raw[ends[i]:ends[i + 1]] for i in range(n)]
    if kind == "bytes":
        return pieces
    if kind == "string":
        return [p.decode("utf-8") for p in pieces]
    if kind == "json":
        return [json.loads(p) for p in pieces]
    # list: packed elements, byte offsets
    element = column["element"]
    fmt, width = _FORMATS[element], _WIDTHS[element]
    flat = memoryview(raw).cast(fmt).tolist() if raw else []
    return [flat[ends[i] // width:ends[i + 1] // width] for i in range(n)]


def _row_builder(paths):
    """A function ``(v0, v1, ...) -> nested dict`` for these dotted paths (Roboto's dict shape)."""
    tree = {}
    for i, path in enumerate(paths):
        node = tree
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = i

    def emit(node):
        return "{" + ", ".join(f"{key!r}: {emit(v) if isinstance(v, dict) else f'v{v}'}" for key, v in node.items()) + "}"

    params = ", ".join(f"v{i}" for i in range(len(paths)))
    # Compiled once per read: a literal is several times faster than assigning keys row by row.
    return eval(f"lambda {params}: {emit(tree)}", {"__builtins__": {}})  # noqa: S307 - keys are repr()'d field names


def iter_dicts(table, columns):
    """``(timestamp_ns, dict)`` per row, batch by batch."""
    build = _row_builder([c["path"] for c in columns])
    for n, ts, cols in _batches(table, columns):
        stamps = memoryview(ts).cast("q").tolist()
        values = [_values(c, raw, ends, n) for c, (raw, ends) in zip(columns, cols)]
        yield from zip(stamps, map(build, *values)) if values else ((t, {}) for t in stamps)


def to_dataframe(table, columns):
    """One DataFrame of every batch: a UTC ``DatetimeIndex`` named ``_index``, one column per path."""
    try:
        import numpy as np
        import pandas as pd
    except ImportError as e:
        table.close()
        raise ImportError(_PANDAS_MISSING) from e
    stamps, parts = [], [[] for _ in columns]
    for n, ts, cols in _batches(table, columns):
        stamps.append(np.frombuffer(ts, dtype="<i8"))
        for part, column, (raw, ends) in zip(parts, columns, cols):
            if column["kind"] in _DTYPES:
                part.append(np.frombuffer(raw, dtype=_DTYPES[column["kind"]]))
            else:
                part.extend(_values(column, raw, ends, n))
    ts = np.concatenate(stamps) if stamps else np.empty(0, dtype="<i8")
    index = pd.DatetimeIndex(pd.to_datetime(ts, unit="ns", utc=True), name="_index")
    data = {}
    for column, part in zip(columns, parts):
        kind = column["kind"]
        if kind in _DTYPES:
            data[column["path"]] = np.concatenate(part) if part else np.empty(0, dtype=_DTYPES[kind])
        else:  # bytes, str, lists, dicts: one Python object per row (a list stays one value, not a row of cells)
            values = np.empty(len(part), dtype=object)
            for i, value in enumerate(part):
                values[i] = value
            data[column["path"]] = values
    return pd.DataFrame(data, index=index, columns=[c["path"] for c in columns])
