"""A full disk: an append that failed with ENOSPC has written nothing a reader will ever see, so a
caller that retries never writes a duplicate; everything that returned OK and was flushed is read
back once space is freed. Runs on a 1 MiB tmpfs, which needs root (CI runs as root)."""

import errno
import os
import subprocess

import pytest

import auki_logs
from auki_session import FrameDef, HeadSpec, SensorLogSpec, Session


@pytest.fixture
def small_tmpfs(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a 1 MiB tmpfs needs root")
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"mount -t tmpfs failed: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(path):
    """Write to path until the file system is full."""
    with open(path, "wb", buffering=0) as f:
        for size in (65536, 4096, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError as e:
                assert e.errno == errno.ENOSPC


def sensor_log(root):
    s = Session("galbot", "galbot-ctrl").with_storage_root(str(root))
    frame = s.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    sensor = s.register_sensor("head_left_rgb", {
        "kind": "camera", "type": "rgb", "width": 1920, "height": 1200, "frame_rate_hz": 30,
        "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole",
        "distortion_model": "brown_conrady",
        "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}})
    clock = s.register_clock("session/sdk_clock",
                             {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
    return s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.rolling(0), 10**12, 0))


def test_appends_that_failed_with_enospc_never_appear_later(small_tmpfs):
    log = sensor_log(small_tmpfs / "store")
    log.configure(buffer_size=0)  # every append goes to the file at once
    log.append(0, b"first")
    log.flush()
    fill(small_tmpfs / "filler")

    ok, failed = [0], []
    for ts in range(1, 141):
        try:
            log.append(ts, b"%06d" % ts * 200)  # 1,200 B
            ok.append(ts)
        except OSError:
            failed.append(ts)
    assert failed, "the disk never filled up"

    os.remove(small_tmpfs / "filler")
    for ts in range(141, 151):
        log.append(ts, b"%06d" % ts * 200)
        ok.append(ts)
    log.flush()
    root = log.root
    log.close()

    entries = auki_logs.Log.read(root).entries()
    assert [e.timestamp_ns for e in entries] == ok  # none of the failed ones, every successful one
    for e in entries[1:]:
        assert e.payload == b"%06d" % e.timestamp_ns * 200
