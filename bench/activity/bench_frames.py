"""Decoded reads of activity-session topics: Topic.get_data_as_df and Topic.get_data rows/s for a
1 kHz scalar log and a 1 kHz pose log, beside the same DataFrame (and dicts) built in the same run
from the raw entries with struct.unpack — the strongest plain-Python baseline, which knows the
payload layout in advance — and with auki_datatypes' message parse.

    PYTHONPATH=bindings/python python3 bench/activity/bench_frames.py [seconds]   (default 60 s = 60,000 rows a log)

Prints a Markdown table (docs/benchmarks.md). Needs build/native/libauki.so and pandas.
"""
import os
import statistics
import struct
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python_tests"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import auki_datatypes as adt  # noqa: E402
from auki_data import Store  # noqa: E402
from auki_data.sessions import Session  # noqa: E402
from typed_store import TypedRecording  # noqa: E402

REPEATS = 5


def best(fn):
    """Median seconds of REPEATS runs (one warm-up first)."""
    fn()
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def index_of(stamps):
    return pd.DatetimeIndex(pd.to_datetime(np.asarray(stamps, dtype=np.int64), unit="ns", utc=True), name="_index")


def struct_frame(topic, layout, columns):
    """The baseline: raw entries (batched reads), struct.unpack per payload, one DataFrame."""
    unpack = struct.Struct(layout).unpack
    stamps, rows = [], []
    for ts, payload in topic.get_entries():
        stamps.append(ts)
        rows.append(unpack(payload))
    return pd.DataFrame(np.array(rows, dtype=np.float64).reshape(len(rows), len(columns)), columns=columns, index=index_of(stamps))


def struct_dicts(topic, layout, build):
    unpack = struct.Struct(layout).unpack
    return [(ts, build(*unpack(payload))) for ts, payload in topic.get_entries()]


def parsed_dicts(topic, message_type):
    return [(ts, message_type().parse(payload).to_dict()) for ts, payload in topic.get_entries()]


def main(seconds):
    n = seconds * 1000
    with tempfile.TemporaryDirectory() as root:
        rec = TypedRecording(root)
        step = 1_000_000  # 1 kHz
        scalar = rec.scalar_log([(i * step, 1.0 + i * 1e-3) for i in range(n)])
        # Every field non-zero, so every payload has the one layout the struct baseline assumes.
        pose = rec.pose_log([(i * step, (1.0 + i, 2.0, 3.0), (0.1, 0.2, 0.3, 0.9)) for i in range(n)])
        session = Session.create(store=Store(root)).add_files([scalar, pose])
        cases = [
            ("scalar 1 kHz", session.get_topic("battery"), "<xd", ["value"], lambda v: {"value": v}, adt.scalar.Data),
            ("pose 1 kHz", session.get_topic("base->head"), "<3xdxdxd3xdxdxdxd", session.get_topic("base->head").message_paths(),
             lambda a, b, c, d, e, f, g: {"translation": {"x": a, "y": b, "z": c}, "orientation": {"x": d, "y": e, "z": f, "w": g}},
             adt.pose.SpatialTransform),
        ]
        print(f"{n:,} rows a log, median of {REPEATS} runs after a warm-up; rows/s (higher is better)\n")
        print("| log | get_data_as_df | struct.unpack → DataFrame | ratio | get_data (dicts) | struct.unpack → dicts | auki_datatypes parse → to_dict |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, topic, layout, columns, build, message_type in cases:
            ours = topic.get_data_as_df()
            theirs = struct_frame(topic, layout, columns)
            pd.testing.assert_frame_equal(ours, theirs)  # the same DataFrame, or the comparison means nothing
            assert list(topic.get_data())[:3] == struct_dicts(topic, layout, build)[:3]
            df = best(topic.get_data_as_df)
            base = best(lambda: struct_frame(topic, layout, columns))
            dicts = best(lambda: list(topic.get_data()))
            base_dicts = best(lambda: struct_dicts(topic, layout, build))
            parsed = best(lambda: parsed_dicts(topic, message_type))
            print(f"| {name} | {n / df:,.0f} | {n / base:,.0f} | {base / df:.1f}× | {n / dicts:,.0f} | {n / base_dicts:,.0f} | {n / parsed:,.0f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
