"""A real crash: a child process appends and flushes, keeps appending without flushing, and is
killed with SIGKILL. Reopening the log must show every flushed entry intact, never a partial one,
let appends go on, and find the writer lock released (the kernel drops it with the process)."""

import os
import signal
import subprocess
import sys

import pytest

import auki_logs

import paths

BINDINGS = str(paths.BINDINGS)
FLUSHED = 20_000
SEGMENT_NS = 100_000

CHILD = r"""
import sys
sys.path.insert(0, sys.argv[1])
mode, root, flushed, segment_ns = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def payload(i):
    return b"%08d" % i * 16

if mode == "auki_logs":
    import auki_logs
    log = auki_logs.Log.open(root, {"segment_duration_ns": segment_ns, "retention_ns": 0})
else:
    from auki_session import FrameDef, HeadSpec, SensorLogSpec, Session
    s = Session("galbot", "galbot-ctrl").with_storage_root(root)
    frame = s.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    sensor = s.register_sensor("head_left_rgb", {
        "kind": "camera", "type": "rgb", "width": 1920, "height": 1200, "frame_rate_hz": 30,
        "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole",
        "distortion_model": "brown_conrady",
        "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}})
    clock = s.register_clock("session/sdk_clock",
                             {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
    log = s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.rolling(0), segment_ns, 0))
    print("root", log.root, flush=True)

for i in range(flushed):
    log.append(i, payload(i))
log.flush()
print("flushed", flushed, flush=True)
i = flushed
while True:  # appending, never flushing, until killed
    log.append(i, payload(i))
    i += 1
    if i == flushed + 30_000:
        print("appending", flush=True)
"""


def payload(i):
    return b"%08d" % i * 16


def crash_child(mode, root):
    """Run the child until it has flushed FLUSHED entries and appended more; SIGKILL it; return the log root."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, BINDINGS, mode, root, str(FLUSHED), str(SEGMENT_NS)],
                             stdout=subprocess.PIPE, text=True)
    try:
        log_root = root
        if mode == "session":
            kind, log_root = child.stdout.readline().split(" ", 1)
            assert kind == "root"
            log_root = log_root.strip()
        assert child.stdout.readline().split() == ["flushed", str(FLUSHED)]
        assert child.stdout.readline().strip() == "appending"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    return log_root


def check_consistent_prefix(entries):
    """Entries are 0, 1, 2, ... with their exact payloads: no gap, no partial or foreign bytes."""
    for i, entry in enumerate(entries):
        assert entry.timestamp_ns == i
        assert entry.payload == payload(i), f"entry {i} is damaged"


@pytest.mark.parametrize("mode", ["auki_logs", "session"])
def test_sigkill_keeps_every_flushed_entry_and_appends_continue(tmp_path, mode):
    root = crash_child(mode, str(tmp_path / "log"))

    entries = auki_logs.Log.read(root).entries()
    assert len(entries) >= FLUSHED
    check_consistent_prefix(entries)

    # The lock died with the child: a new writer opens at once and continues after the last entry.
    with auki_logs.Log.open(root, {}) as log:
        with pytest.raises(ValueError, match="earlier than the last entry"):
            log.append(len(entries) - 2, b"late")
        log.append(len(entries), payload(len(entries)))
    after = auki_logs.Log.read(root).entries()
    assert len(after) == len(entries) + 1
    check_consistent_prefix(after)


def test_power_cut_mid_entry_is_repaired_on_reopen(tmp_path):
    """As if the machine lost power too: the newest segment ends in the middle of an entry."""
    root = crash_child("auki_logs", str(tmp_path / "log"))
    segments = sorted(os.listdir(os.path.join(root, "segments")))
    newest = os.path.join(root, "segments", segments[-1])
    before = auki_logs.Log.read(root).entries()
    if len(before) > FLUSHED:  # only cut into what was never flushed
        os.truncate(newest, os.path.getsize(newest) - 7)

    entries = auki_logs.Log.read(root).entries()
    assert len(entries) >= FLUSHED
    check_consistent_prefix(entries)
    with auki_logs.Log.open(root, {}) as log:
        log.append(len(entries), payload(len(entries)))
    after = auki_logs.Log.read(root).entries()
    assert len(after) == len(entries) + 1
    check_consistent_prefix(after)
