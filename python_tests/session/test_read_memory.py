"""Reads stream: a full read of a 1 GB camera log through each read API keeps the process's peak
RSS under 100 MB (one batch in memory, not the log). Each read runs in its own Python process,
which resets its peak (/proc/self/clear_refs, "5") right before reading and reports VmHWM after.

The log is written once per test session (150 frames of 6.9 MB, 1920x1200 rgb8, as CameraFrame
messages) by a process that then reads it through the log handle, which only it holds; that read
is charged the RSS it adds to what the writing process already held. The other
read APIs (auki_logs.Log.read iteration and window, auki_data.Store.open raw and decoded) read it
from fresh processes. entries() is upstream's list of every entry and is not a streaming API."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import paths

BINDINGS = str(paths.BINDINGS)
LIMIT_BYTES = 100 * 1024 * 1024
FRAMES = 150  # 150 x 6,912,000 bytes = 1.04 GB

PRELUDE = r"""
import json, sys
def peak_reset():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
def _status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
def peak():
    return _status("VmHWM:")
def rss():
    return _status("VmRSS:")
def drain(items):
    n = total = 0
    for item in items:
        payload = item.payload if hasattr(item, "payload") else item[1].frame
        n += 1
        total += len(payload)
    return n, total
"""

WRITE = PRELUDE + r"""
import auki_datatypes as adt
from auki_session import FrameDef, HeadSpec, Peer, SensorLogSpec
root, frames = sys.argv[1], int(sys.argv[2])
peer = Peer("galbot", "memory-test").with_storage_root(root)
frame = peer.register_frame("cam_optical", FrameDef.ros_optical())
sensor = peer.register_sensor("head_rgb", {"kind": "camera", "type": "rgb", "width": 1920, "height": 1200,
    "frame_rate_hz": 30, "image_encoding": "raw", "row_stride_bytes": 5760, "pixel_format": "rgb8",
    "color_space": "srgb", "intrinsics_model": "pinhole", "distortion_model": "brown_conrady",
    "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}})
session = peer.start_session()
clock = session.register_clock("session/sdk_clock", {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
log = session.register_sensor_log(SensorLogSpec(sensor=sensor, clock=clock, frame=frame, head=HeadSpec.rolling(0),
    segment_duration_ns=1_000_000_000, retention_ns=0))
payload = bytes(adt.camera.CameraFrame(frame=bytes(1200 * 5760)))
for i in range(frames):
    log.append(i * 33_333_333, payload)
log.flush()
del payload
out = {"root": log.root, "payload_bytes": len(bytes(adt.camera.CameraFrame(frame=bytes(1)))) - 1 + 1200 * 5760}
# This process also wrote the gigabyte: what its writer keeps resident (buffers, entries that waited
# for a rollover's fsync, the runtime's heap) is not the read's, so the read is charged what it adds.
base = rss()
peak_reset()
out["handle_read"] = drain(log.read()) + (peak() - base,)
base = rss()
peak_reset()
out["handle_read_decoded"] = drain(log.read(decode=True)) + (peak() - base,)
out["writer_rss"] = base
log.close()
print(json.dumps(out))
"""

READ = PRELUDE + r"""
root, storage_root, how = sys.argv[1], sys.argv[2], sys.argv[3]
from auki_data import Store
from auki_logs import Log
import os
peak_reset()
if how == "log_read_iter":
    counted = drain(Log.read(root))
elif how == "log_reader_window":
    counted = drain(Log.read(root).read(0, 2**62))
elif how == "store_open":
    counted = drain(Store(storage_root).open(root))
elif how == "store_open_decoded":
    counted = drain(Store(storage_root).open(os.path.relpath(root, storage_root), decode=True))
print(json.dumps(list(counted) + [peak()]))
"""


def _run(script, *args):
    env = dict(os.environ, PYTHONPATH=BINDINGS)
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="session")
def gigabyte_log(tmp_path_factory):
    root = tmp_path_factory.mktemp("gigabyte")
    written = _run(WRITE, root, FRAMES)
    yield {"storage_root": str(root), **written}


def _assert_streamed(result, log):
    count, total, peak = result
    assert count == FRAMES
    assert total >= 10**9  # the whole log went through
    assert peak < LIMIT_BYTES, f"peak RSS {peak / 2**20:.0f} MiB for a {total / 2**30:.2f} GiB read"
    return peak


def test_a_log_handle_read_streams_a_gigabyte(gigabyte_log):
    # Charged above what the writing process already held (printed), as that process wrote the log.
    print(f"writer process resident before reading: {gigabyte_log['writer_rss'] / 2**20:.0f} MiB")
    _assert_streamed(gigabyte_log["handle_read"], gigabyte_log)


def test_a_decoded_log_handle_read_streams_a_gigabyte(gigabyte_log):
    _assert_streamed(gigabyte_log["handle_read_decoded"], gigabyte_log)


@pytest.mark.parametrize("how", ["log_read_iter", "log_reader_window", "store_open", "store_open_decoded"])
def test_every_other_read_api_streams_a_gigabyte(gigabyte_log, how):
    _assert_streamed(_run(READ, gigabyte_log["root"], gigabyte_log["storage_root"], how), gigabyte_log)
