"""Every directory the SDK creates is named durably before the call that created it returns.

A file fsynced inside a new directory is not enough: POSIX makes the new directory's own entry durable
only when its parent is fsynced, so a power loss could keep a registry entry's bytes while losing the
``<id>/`` directory that names it. Power loss cannot be staged here, so the test watches the system
calls (strace): after each ``mkdir`` of a registration, a log's first append and flush, an activity
session and a batch, the parent of the new directory is fsynced (or the file system synced) before the
program moves on to its next call.
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

import paths

def strace_works():
    # A container may forbid ptrace; then nothing can be watched (build.sh test installs strace itself).
    return shutil.which("strace") is not None and \
        subprocess.run(["strace", "-qq", "-o", os.devnull, "true"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not strace_works(), reason="strace is not installed or may not trace here")

PROGRAM = textwrap.dedent("""
    import os, sys
    from auki_session import FrameDef, HeadSpec, Peer, SensorLogSpec
    root = sys.argv[1]
    def step(name):
        # A marker in the trace between steps: each step's directories must be durable before it.
        try: os.stat(os.path.join(root, ".step-" + name))
        except FileNotFoundError: pass
    peer = Peer("galbot", "app").with_storage_root(os.path.join(root, "new", "store"))
    step("frame")
    frame = peer.register_frame("optical", FrameDef.ros_optical())
    step("sensor")
    sensor = peer.register_sensor("thermo", {"kind": "scalar", "type": "temperature", "unit": "C", "expected_rate_hz": 10})
    step("session")
    session = peer.start_session()
    clock = session.register_clock("clk", {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
    step("log")
    log = session.register_sensor_log(SensorLogSpec(sensor=sensor, clock=clock, head=HeadSpec.rolling(10**9),
                                                    segment_duration_ns=10**9, retention_ns=10**9))
    step("append")
    log.append(5, b"x" * 16)
    log.flush()
    step("batch")
    with peer.batch():
        peer.register_sensor("thermo_b", {"kind": "scalar", "type": "temperature", "unit": "C", "expected_rate_hz": 10})
    step("end")
""")

CALL = re.compile(r'^(?:\[pid\s+\d+\] )?(\w+)\((.*)\)\s+=\s+(-?\d+)')
STEP = re.compile(r'\.step-(\w+)"')


def trace(tmp_path):
    out = tmp_path / "trace"
    env = dict(os.environ, PYTHONPATH=str(paths.BINDINGS))
    subprocess.run(["strace", "-f", "-qq", "-y", "-o", str(out), "-e", "trace=mkdir,mkdirat,fsync,fdatasync,syncfs,newfstatat,stat",
                    sys.executable, "-c", PROGRAM, str(tmp_path)], check=True, env=env, timeout=120)
    return out.read_text().splitlines()


def parse(lines):
    """[(kind, path)] in order: ('mkdir', new dir), ('sync', dir or file synced), ('syncfs', dir), ('step', name)."""
    events = []
    for line in lines:
        line = re.sub(r"^\d+\s+", "", line)  # strace -f -o prefixes each line with the pid
        if (step := STEP.search(line)) and ("stat" in line.split("(")[0]):
            events.append(("step", step.group(1)))
            continue
        m = CALL.match(line)
        if not m or m.group(3) != "0":
            continue
        call, args = m.group(1), m.group(2)
        if call in ("mkdir", "mkdirat"):
            path = re.findall(r'"([^"]*)"', args)[-1]
            if call == "mkdirat" and not path.startswith("/"):
                base = re.match(r"\w+<([^>]*)>", args)
                path = os.path.join(base.group(1), path) if base else path
            events.append(("mkdir", os.path.normpath(path)))
        elif call in ("fsync", "fdatasync", "syncfs"):
            fd = re.match(r"\d+<([^>]*)>", args)
            if fd:
                events.append(("syncfs" if call == "syncfs" else "sync", os.path.normpath(fd.group(1))))
    return events


def test_each_new_directory_is_named_durably_before_the_next_step(tmp_path):
    events = parse(trace(tmp_path))
    store = os.path.normpath(str(tmp_path / "new" / "store"))
    steps = [name for kind, name in events if kind == "step"]
    assert steps == ["frame", "sensor", "session", "log", "append", "batch", "end"], steps
    created = [(i, path) for i, (kind, path) in enumerate(events) if kind == "mkdir" and path.startswith(str(tmp_path))]
    names = {os.path.relpath(path, store) for _, path in created if path.startswith(store + os.sep)}
    # The levels a user would lose: a registry id's directory, a log's root and its segments.
    assert any(n.startswith("registries/sensors/galbot/thermo") for n in names), sorted(names)
    assert any(n.endswith("segments") for n in names), sorted(names)
    missing = []
    for i, path in created:
        parent = os.path.dirname(path)
        later = events[i + 1:]
        upto = next((k for k, (kind, _) in enumerate(later) if kind == "step"), len(later))
        if not any((kind == "sync" and p == parent) or kind == "syncfs" for kind, p in later[:upto]):
            missing.append(os.path.relpath(path, str(tmp_path)))
    assert missing == [], f"directories whose names were not made durable before the next step: {missing}"
