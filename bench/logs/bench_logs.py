"""bench_logs.py — libauki's log data plane from Python, beside plain-Python baselines from the same
run, and the table for docs/benchmarks.md (with the C figures of bench_logs.c). Not a test.

    PYTHONPATH=bindings/python python3 bench/logs/bench_logs.py <dir> [scale] [c_results.txt]

Figures per payload size (16 B, 1 KiB, 64 KiB, 6,912,000 B = one 1920x1200 rgb8 frame):
  py_append       auki_logs.Log.append, one call per entry (bytes payload)
  py_append_many  SensorLogHandle.append_many(timestamps list, list of bytes), 4096 entries per call
  py_append_numpy SensorLogHandle.append_many(int64 array, 2-D uint8 array): no copy in Python
  baseline        open(path, "wb", buffering=1 MiB) and file.write(header); file.write(payload) per entry
  py_read         list(SensorLogHandle.read()): a list of auki_logs.Entry
  baseline        file.read() of the baseline file, struct.unpack_from per entry, a list of (ts, bytes)
Appends are timed until the last call returns (close/fsync untimed, for both). Best of 3 runs.
"""

import os
import shutil
import struct
import sys
import time

import auki_logs
from auki_session import FrameDef, HeadSpec, Peer, SensorLogSpec

try:
    import numpy as np
except ImportError:  # numpy is optional; its row is skipped without it
    np = None

REPEATS = 3
SIZES = (16, 1024, 65536, 6_912_000)
# Entries per run and size (about 30-300 MB each).
COUNTS = {16: 1_000_000, 1024: 200_000, 65536: 4000, 6_912_000: 40}
NUMPY_COUNTS = {16: 10_000_000, 1024: 300_000, 65536: 4000, 6_912_000: 40}
BATCH = 4096
MANIFEST = {"segment_duration_ns": 10**15, "retention_ns": 0, "kind": "bench"}
HEADER = struct.Struct("<qI")


def best(fn, *args):
    return min(fn(*args) for _ in range(REPEATS))


def py_write(path, payload, n):
    if os.path.exists(path):
        os.remove(path)
    pack = HEADER.pack
    size = len(payload)
    with open(path, "wb", buffering=1 << 20) as f:
        write = f.write
        write(b"AKLG\x01\x00\x00\x00" + bytes(8))
        t0 = time.perf_counter()
        for i in range(n):
            write(pack(i, size))
            write(payload)
        t = time.perf_counter() - t0
        f.flush()
        os.fsync(f.fileno())
    return t


def py_append(root, payload, n):
    shutil.rmtree(root, ignore_errors=True)
    log = auki_logs.Log.open(root, MANIFEST)
    append = log.append
    t0 = time.perf_counter()
    for i in range(n):
        append(i, payload)
    t = time.perf_counter() - t0
    log.close()
    shutil.rmtree(root, ignore_errors=True)
    return t


class SessionLog:
    """A sensor log handle under a fresh storage root (one per measurement)."""

    def __init__(self, storage):
        shutil.rmtree(storage, ignore_errors=True)
        self.storage = storage
        peer = Peer("galbot", "bench").with_storage_root(storage)
        frame = peer.register_frame("cam_optical", FrameDef.ros_optical())
        sensor = peer.register_sensor("cam", {
            "kind": "camera", "type": "rgb", "width": 1920, "height": 1200, "frame_rate_hz": 30,
            "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole",
            "distortion_model": "brown_conrady",
            "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}})
        self.session = peer.start_session()
        clock = self.session.register_clock(
            "clock", {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
        self.log = self.session.register_sensor_log(SensorLogSpec(
            sensor, clock, HeadSpec.rolling(0), MANIFEST["segment_duration_ns"], 0))
        self.peer = peer

    def close(self, keep=False):
        self.log.close()
        if not keep:
            shutil.rmtree(self.storage, ignore_errors=True)


def py_append_many(storage, payload, n):
    s = SessionLog(storage)
    append_many = s.log.append_many
    per = BATCH if len(payload) < 65536 else max(1, (64 << 20) // len(payload))
    payloads = [payload] * per
    t0 = time.perf_counter()
    for i in range(0, n, per):
        k = min(per, n - i)
        append_many(range(i, i + k), payloads if k == per else payloads[:k])
    t = time.perf_counter() - t0
    s.close()
    return t


def py_append_numpy(storage, payload, n):
    s = SessionLog(storage)
    append_many = s.log.append_many
    per = n if len(payload) * n <= (256 << 20) else max(1, (64 << 20) // len(payload))
    rows = np.empty((per, len(payload)), dtype=np.uint8)
    rows[:] = np.frombuffer(payload, dtype=np.uint8)
    stamps = np.arange(n, dtype=np.int64)
    t0 = time.perf_counter()
    for i in range(0, n, per):
        k = min(per, n - i)
        append_many(stamps[i:i + k], rows[:k])
    t = time.perf_counter() - t0
    s.close()
    return t


def py_read(log, n):
    t0 = time.perf_counter()
    entries = list(log.read())  # read() streams (EntryStream); the row measures the list of Entry
    t = time.perf_counter() - t0
    assert len(entries) == n
    return t


def py_parse(path, n):
    unpack = HEADER.unpack_from
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        data = f.read()
    out = []
    append = out.append
    pos = 16
    end = len(data)
    while pos < end:
        ts, size = unpack(data, pos)
        pos += 12
        append((ts, data[pos:pos + size]))
        pos += size
    t = time.perf_counter() - t0
    assert len(out) == n
    return t


def measure(workdir, scale):
    rows = []
    for size in SIZES:
        payload = bytes((i * 31 + 7) & 0xFF for i in range(size)) if size < 4096 else (bytes(range(256)) * (size // 256 + 1))[:size]
        n = max(2, int(COUNTS[size] * scale))
        path = os.path.join(workdir, f"py-write-{size}.bin")
        base = best(py_write, path, payload, n)
        rows.append(("py_append", size, n, best(py_append, os.path.join(workdir, f"py-log-{size}"), payload, n), base))
        rows.append(("py_append_many", size, n, best(py_append_many, os.path.join(workdir, f"py-many-{size}"), payload, n), base))
        if np is not None:
            nn = max(2, int(NUMPY_COUNTS[size] * scale))
            nbase = base if nn == n else best(py_write, path, payload, nn)
            rows.append(("py_append_numpy", size, nn,
                         best(py_append_numpy, os.path.join(workdir, f"py-np-{size}"), payload, nn), nbase))
        # Reads: one log and one baseline file, both just written (in the page cache).
        py_write(path, payload, n)
        s = SessionLog(os.path.join(workdir, f"py-read-{size}"))
        for i in range(n):
            s.log.append(i, payload)
        s.log.flush()
        rows.append(("py_read", size, n, best(py_read, s.log, n), best(py_parse, path, n)))
        s.close()
        os.remove(path)
        print(f"  measured {size} B", file=sys.stderr, flush=True)
    return rows


LABELS = {
    "c_append": ("C `auki_log_writer_append`, one call per entry", "`fwrite`"),
    "c_append_many": ("C `auki_log_writer_append_many_fixed`, batches", "`fwrite` from the batch's memory"),
    "c_append_gather": ("C `auki_log_writer_append_gather`, the same batches, a pointer per payload", "`fwrite` from the batch's memory"),
    "c_write_ceiling": ("C `write()` of framed 1 MiB blocks (no per-entry work: the bound through write())", "`fwrite`"),
    "c_read": ("C `auki_log_reader_next` (borrowed views)", "block `read()` + parse"),
    "c_read_batch": ("C `auki_log_reader_next_batch` (copies)", "block `read()` + parse"),
    "c_read_views": ("C `auki_log_reader_next_views` (borrowed views, batches)", "block `read()` + parse"),
    "c_fread": ("baseline before: `fread` (1 MiB FILE buffer) + parse", "block `read()` + parse"),
    "py_append": ("Python `auki_logs.Log.append`, one call per entry", "`file.write`"),
    "py_append_many": ("Python `handle.append_many(list, list of bytes)`", "`file.write`"),
    "py_append_numpy": ("Python `handle.append_many(int64 array, 2-D uint8 array)`", "`file.write`"),
    "py_read": ("Python `handle.read()` → list of `Entry`", "`file.read` + `unpack_from`"),
}


def size_name(size):
    return {16: "16 B", 1024: "1 KiB", 65536: "64 KiB", 6_912_000: "6.9 MB"}[size]


def rate(n, seconds):
    value = n / seconds
    if value >= 1e6:
        return f"{value / 1e6:.1f} M/s"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k/s"
    return f"{value:.0f} /s"


def table(rows):
    lines = [
        "| figure | payload | entries | entries/s | MB/s | baseline | baseline entries/s | baseline MB/s | ratio |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for name, size, n, ours, base in rows:
        label, base_label = LABELS[name]
        mb = n * size / 1e6
        lines.append(
            f"| {label} | {size_name(size)} | {n:,} | {rate(n, ours)} | {mb / ours:,.0f} | {base_label} | "
            f"{rate(n, base)} | {mb / base:,.0f} | {base / ours:.2f}× |")
    return "\n".join(lines)


def targets(rows):
    by = {(name, size): (n, ours, base) for name, size, n, ours, base in rows}
    out = []

    def line(ok, text):
        out.append(f"- {'met' if ok else 'MISSED'}: {text}")

    if ("c_append", 16) in by:
        n, t, _ = by[("c_append", 16)]
        line(n / t >= 10e6, f"C single appends of 16 B: {n / t / 1e6:.1f} M entries/s (target ≥ 10 M/s)")
        worst = min((by[(k, s)][2] / by[(k, s)][1], k, s) for k in ("c_append", "c_append_many", "c_append_gather") for s in SIZES
                    if (k, s) in by)
        line(worst[0] >= 0.8, f"C appends vs fwrite at every size: worst {worst[0]:.2f}× ({worst[1]}, {size_name(worst[2])}; target ≥ 0.8×)")
        n, t, _ = by[("c_read", 16)]
        line(n / t >= 20e6, f"C reads of 16 B entries (auki_log_reader_next): {n / t / 1e6:.1f} M entries/s (target ≥ 20 M/s)")
    n, t, _ = by[("py_append", 16)]
    line(t / n <= 1.5e-6, f"Python single append of 16 B: {t / n * 1e6:.2f} µs per call (target ≤ 1.5 µs)")
    for key in ("py_append_many", "py_append_numpy"):
        if (key, 16) in by:
            n, t, _ = by[(key, 16)]
            line(n / t >= 5e6, f"Python batches of 16 B ({LABELS[key][0]}): {n / t / 1e6:.1f} M entries/s (target ≥ 5 M/s)")
    return "\n".join(out)


def main():
    workdir = sys.argv[1]
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    rows = []
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            for line in f:
                name, size, n, ours, base = line.split()
                rows.append((name, int(size), int(n), float(ours), float(base)))
    rows += measure(workdir, scale)
    order = list(LABELS)
    rows.sort(key=lambda r: (SIZES.index(r[1]), order.index(r[0])))
    print(table(rows))
    print()
    print(targets(rows))


if __name__ == "__main__":
    main()
