"""``with peer.batch():`` (beyond upstream): many registrations, one durability point.

Inside the block every registration is written atomically and readable at once; the end of the block
makes all of them durable. An error is raised at its own call and leaves the others alone; leaving the
block by an exception still commits what was registered; a process killed in the middle of a batch
leaves only whole entries; a file a power loss left empty or short is reported as corrupt and repaired
by registering the entry again.
"""

import os
import signal
import subprocess
import sys

import pytest

import auki_registry
from auki_session import FrameDef, HeadSpec, Peer, SensorLogSpec, Session

import paths

CLOCK = {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"}


def scalar(rate=10):
    return {"kind": "scalar", "type": "temperature", "unit": "C", "expected_rate_hz": rate}


def entry_file(root, kind_dir, ref):
    return os.path.join(root, "registries", kind_dir, ref.peer_id, ref.id, ref.hash + ".json")


def register_rig(peer):
    """A frame, three sensors, a session with a clock and a log per sensor; returns every ref and handle."""
    frame = peer.register_frame("optical", FrameDef.ros_optical())
    sensors = [peer.register_sensor(f"thermo_{i}", scalar()) for i in range(3)]
    session = peer.start_session()
    clock = session.register_clock("clk", CLOCK)
    logs = [session.register_sensor_log(SensorLogSpec(sensor=s, clock=clock, head=HeadSpec.rolling(10**9),
                                                      segment_duration_ns=10**9, retention_ns=10**9))
            for s in sensors]
    return frame, sensors, session, clock, logs


def test_a_batchs_registrations_are_readable_and_leave_the_bytes_of_unbatched_ones(tmp_path):
    batched, single = tmp_path / "batched", tmp_path / "single"
    peer = Peer("galbot", "app").with_storage_root(batched)
    with peer.batch():
        frame, sensors, session, clock, logs = register_rig(peer)
        assert auki_registry.read_sensor(str(batched), "galbot", sensors[0].id, sensors[0].hash) is not None
    frame2, sensors2, session2, clock2, logs2 = register_rig(Peer("galbot", "app").with_storage_root(single))
    assert [r.hash for r in (frame, *sensors)] == [r.hash for r in (frame2, *sensors2)]
    for ref, kind in [(frame, "frames"), *((s, "sensors") for s in sensors)]:
        assert open(entry_file(str(batched), kind, ref), "rb").read() == open(entry_file(str(single), kind, ref), "rb").read()
    assert auki_registry.read_clock(str(batched), "galbot", "clk", clock.hash)["session_id"] == session.session_id
    for log, log2 in zip(logs, logs2):  # the same manifest but for the session's id (and so its clock's hash)
        text = open(os.path.join(log.root, "manifest.json")).read()
        text2 = open(os.path.join(log2.root, "manifest.json")).read()
        assert text.replace(session.session_id, "S").replace(clock.hash, "C") == \
            text2.replace(session2.session_id, "S").replace(clock2.hash, "C")


def test_an_error_inside_a_batch_names_its_field_and_the_other_entries_are_kept(tmp_path):
    peer = Peer("galbot", "app").with_storage_root(tmp_path)
    with peer.batch():
        first = peer.register_sensor("first", scalar())
        with pytest.raises(ValueError, match=r"^body: invalid type: string \"fast\"") as e:
            peer.register_sensor("second", scalar(rate="fast"))
        assert e.value.field == "body.expected_rate_hz"
        with pytest.raises(ValueError, match=r"reserved path segment"):
            peer.register_frame("a/../b", FrameDef.ros_optical())
        third = peer.register_sensor("third", scalar())
    for ref in (first, third):
        assert auki_registry.read_sensor(str(tmp_path), "galbot", ref.id, ref.hash)["sensor_id"] == ref.id
    assert not (tmp_path / "registries" / "sensors" / "galbot" / "second").exists()


def test_leaving_a_batch_by_an_exception_keeps_and_commits_what_was_registered(tmp_path):
    peer = Peer("galbot", "app").with_storage_root(tmp_path)
    with pytest.raises(KeyError):
        with peer.batch():
            ref = peer.register_frame("optical", FrameDef.ros_optical())
            raise KeyError("the caller's own error")
    assert auki_registry.read_frame(str(tmp_path), "galbot", ref.id, ref.hash) is not None
    with peer.batch():  # and the peer is out of the batch: a new one opens and closes
        pass


def test_batches_nest_and_a_batch_object_is_entered_once(tmp_path):
    peer = Peer("galbot", "app").with_storage_root(tmp_path)
    batch = peer.batch()
    with batch:
        with peer.batch():
            ref = peer.register_frame("optical", FrameDef.ros_optical())
        assert os.path.exists(entry_file(str(tmp_path), "frames", ref))
    with pytest.raises(RuntimeError, match="entered once"):
        with batch:
            pass


def test_an_era_a_session_batches_through_its_own_peer_and_logs_take_appends_inside(tmp_path):
    session = Session("galbot", "app").with_storage_root(tmp_path)
    with session.batch():
        sensor = session.register_sensor("thermo", scalar())
        clock = session.register_clock("clk", CLOCK)
        log = session.register_sensor_log(SensorLogSpec(sensor=sensor, clock=clock, head=HeadSpec.fixed(),
                                                        segment_duration_ns=10**9, retention_ns=0))
        log.append(5, b"x")  # the first append makes the manifest and its entries durable first
        log.flush()
    assert [(e.timestamp_ns, bytes(e.payload)) for e in log.read()] == [(5, b"x")]
    assert auki_registry.read_clock(str(tmp_path), "galbot", "clk", clock.hash)["clock_id"] == "clk"


CHILD = r"""
import sys
sys.path.insert(0, sys.argv[1])
from auki_session import FrameDef, Peer
peer = Peer("galbot", "app").with_storage_root(sys.argv[2])
with peer.batch():  # never committed: the parent kills this process
    i = 0
    while True:
        peer.register_frame(f"frame_{i}", FrameDef.ros_optical())
        i += 1
        print(i, flush=True)
"""


def test_a_process_killed_in_the_middle_of_a_batch_leaves_only_whole_entries(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(paths.BINDINGS), str(tmp_path)],
                             stdout=subprocess.PIPE, text=True)
    try:
        returned = 0
        while returned < 50:
            returned = int(child.stdout.readline())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    frames = tmp_path / "registries" / "frames" / "galbot"
    entries = [(d.name, f.name[:-5]) for d in frames.iterdir() for f in d.iterdir() if not f.name.startswith(".")]
    assert len(entries) >= returned
    for frame_id, digest in entries:  # each hashes to its name: auki_registry.read raises on anything else
        assert auki_registry.read_frame(str(tmp_path), "galbot", frame_id, digest)["frame_id"] == frame_id
    peer = Peer("galbot", "app").with_storage_root(tmp_path)
    for frame_id, digest in entries:
        assert peer.register_frame(frame_id, FrameDef.ros_optical()).hash == digest


@pytest.mark.parametrize("damage", [b"", b'{"axes":{"x":"ri', b"\0" * 40], ids=["empty", "short", "zeros"])
def test_an_entry_left_empty_or_short_is_corrupt_and_registering_it_again_repairs_it(tmp_path, damage):
    peer = Peer("galbot", "app").with_storage_root(tmp_path)
    ref = peer.register_frame("optical", FrameDef.ros_optical())
    path = entry_file(str(tmp_path), "frames", ref)
    whole = open(path, "rb").read()
    with open(path, "wb") as f:
        f.write(damage)
    with pytest.raises(ValueError, match="^hash mismatch: frames/galbot/optical stored as"):
        auki_registry.read_frame(str(tmp_path), "galbot", ref.id, ref.hash)
    with pytest.raises(ValueError, match="^hash mismatch"):  # nor may a sensor name the damaged frame
        peer.register_sensor("cam", {
            "kind": "camera", "type": "rgb", "width": 4, "height": 2, "frame_rate_hz": 30, "pixel_format": "rgb8",
            "color_space": "srgb", "intrinsics_model": "pinhole", "distortion_model": "none",
            "frame": {"peer_id": ref.peer_id, "id": ref.id, "hash": ref.hash}})
    with peer.batch():
        assert peer.register_frame("optical", FrameDef.ros_optical()).hash == ref.hash
    assert open(path, "rb").read() == whole
    assert auki_registry.read_frame(str(tmp_path), "galbot", ref.id, ref.hash)["frame_id"] == "optical"
