"""Ids that become paths (issue "Close the holes", defects 1, 2, 9, 10, 11): one validator
(core/Ids/PathId.cs) refuses every id that could name a path outside the storage root, before
anything is written, from a local caller or from a remote peer; docs/ids.md states the rules."""
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

import auki_data
from auki_data.sessions import Session as ActivitySession
from auki_data.sessions import SessionFile
from auki_session import FrameDef, HeadSpec, LogRef, Peer, SensorLogSpec, Session

from activity_support import Recording
import paths

CAMERA = {
    "kind": "camera", "type": "rgb", "width": 4, "height": 2, "frame_rate_hz": 30,
    "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole", "distortion_model": "brown_conrady",
}
MONOTONIC = {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"}


def tree(path):
    """Every file and directory under ``path`` (relative), to show a refused call wrote nothing."""
    found = []
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            found.append(os.path.relpath(os.path.join(dirpath, name), path))
    return sorted(found)


def era_a_sensor_log(session, segment_duration_ns=1_000_000_000):
    frame = session.register_frame("cam_optical", FrameDef.ros_optical())
    sensor = session.register_sensor("cam", dict(CAMERA, frame={"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}))
    clock = session.register_clock("session/sdk_clock", MONOTONIC)
    return session.register_sensor_log(SensorLogSpec(
        sensor=sensor, clock=clock, frame=frame, head=HeadSpec.rolling(0),
        segment_duration_ns=segment_duration_ns, retention_ns=0))


# ---- defect 2: a local caller's peer id -------------------------------------------------------------


def test_an_era_a_session_whose_peer_id_climbs_out_of_the_root_is_refused_and_writes_nothing(tmp_path):
    root = tmp_path / "a" / "b" / "root"
    root.mkdir(parents=True)
    with pytest.raises(ValueError, match=r'invalid peer id "\.\./\.\./\.\./ESC": contains a `\.\.` path segment'):
        session = Session("../../../ESC", "app").with_storage_root(str(root))
        era_a_sensor_log(session).append(1, b"x")
    assert tree(tmp_path) == ["a", "a/b", "a/b/root"]


@pytest.mark.parametrize("peer_id, reason", [
    ("", "must not be empty"),
    ("/etc", "is an absolute path"),
    ("..", "contains a `..` path segment"),
    ("a/./b", "contains a `.` path segment"),
    ("a//b", "contains an empty path segment"),
    ("a/", "contains an empty path segment"),
    ("x" * 256, "has a path segment of 256 bytes, the limit is 255"),
    ("é" * 128, "has a path segment of 256 bytes, the limit is 255"),
])
def test_a_peer_id_that_is_not_path_safe_is_refused_by_both_session_forms(peer_id, reason):
    with pytest.raises(ValueError, match=f"invalid peer id .*: {reason.replace('(', '.').replace(')', '.')}"):
        Peer(peer_id, "app")
    with pytest.raises(ValueError, match="invalid peer id"):
        Session(peer_id, "app")


def test_a_peer_id_with_slashes_nests_its_logs_and_flattens_its_registry_directories_inside_the_root(tmp_path):
    peer = Peer("fleet/robot-7", "app").with_storage_root(str(tmp_path))
    frame = peer.register_frame("base", FrameDef.ros_body())
    session = peer.start_session()
    clock = session.register_clock("session/sdk_clock", MONOTONIC)
    sensor = peer.register_sensor("cam", dict(CAMERA, frame={"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}))
    handle = session.register_sensor_log(SensorLogSpec(sensor=sensor, clock=clock, frame=frame, head=HeadSpec.rolling(0),
                                                        segment_duration_ns=1_000_000_000, retention_ns=0))
    assert handle.root == str(tmp_path / session.session_id / "logs" / "fleet" / "robot-7" / "cam")
    assert os.path.isdir(tmp_path / "registries" / "frames" / "fleet__robot-7" / "base")


def test_a_detection_instance_id_that_climbs_out_is_refused_and_writes_nothing(tmp_path):
    from auki_session import DetectionLogSpec
    peer = Peer("galbot", "app").with_storage_root(str(tmp_path))
    frame = peer.register_frame("base", FrameDef.ros_body())
    sensor = peer.register_sensor("cam", dict(CAMERA, frame={"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}))
    detector = peer.register_detector("yolo", {"type": "object_detection", "model": "yolo_v8n"}, ["bounding_box"])
    session = peer.start_session()
    clock = session.register_clock("session/sdk_clock", MONOTONIC)
    before = tree(tmp_path)
    with pytest.raises(ValueError, match="instance_id"):
        session.register_detection_log(DetectionLogSpec(
            detector=detector, input_log=LogRef("galbot", "cam"), input_sensor=sensor, clock=clock,
            cadence={"kind": "every_frame"}, head=HeadSpec.rolling(0), segment_duration_ns=1_000_000_000, retention_ns=0,
            instance_id="../../../../x"))
    assert tree(tmp_path) == before


# ---- defect 1: a remote peer's id ------------------------------------------------------------------


@pytest.mark.parametrize("evil", ["../../../../x", "/tmp/auki-evil", "a/../../.."])
def test_a_materialization_whose_source_peer_id_escapes_the_root_is_refused_and_writes_nothing(tmp_path, evil):
    from auki_domain import Domain, DomainConfig
    from domain.support import Broker

    broker = Broker()
    try:
        # The hostile member: a bare MQTT client advertising a log under a peer id that is a path.
        escaped = evil.replace("%", "%25").replace("/", "%2F")
        row = {"source_peer_id": evil, "resource_id": "cam", "kind": "sensor"}
        subprocess.run(["mosquitto_pub", "-p", str(broker.port), "-h", "127.0.0.1", "-V", "mqttv5", "-r",
                        "-t", f"auki/lab/peers/{escaped}/catalog", "-m", json.dumps({"resources": [row]})], check=True)
        peer = Peer("obs", "app").with_storage_root(str(tmp_path / "obs"))
        session = peer.start_session()
        with Domain.join(peer, session, DomainConfig("lab", broker=broker.url)):
            before = tree(tmp_path)
            with pytest.raises(ValueError, match="invalid peer id"):
                session.materialize_remote_log(LogRef(evil, "cam"), retention_ns=0, segment_duration_ns=1_000_000_000)
            assert tree(tmp_path) == before
        assert not os.path.exists("/tmp/auki-evil")
    finally:
        broker.close()


# ---- device ids, file ids, boot session ids (defect 11) ------------------------------------------


@pytest.fixture
def store(tmp_path):
    return auki_data.Store(tmp_path)


def test_a_device_id_is_a_peer_id_not_a_path(store):
    Recording(store.storage_root, "galbot")
    session = ActivitySession.create(store=store)
    for device in ["/tmp", "..", "logs/../..", ""]:
        with pytest.raises(ValueError, match="device"):
            session.attach_to_device(device)
        with pytest.raises(ValueError, match="device"):
            ActivitySession.create(device_ids=[device], store=store)
    assert list(session.list_devices()) == []


BAD_FILE_IDS = ["", "/etc/passwd", "../x/logs/p/r", "logs/p/../../..", "logs//p/r", "x/logs/p/./r", "logs/p", "a/b/logs/p/r"]


@pytest.mark.parametrize("file_id", BAD_FILE_IDS)
def test_a_session_file_is_refused_exactly_when_add_files_refuses_its_id(store, file_id):
    with pytest.raises(ValueError, match="file.id"):
        SessionFile(file_id)
    session = ActivitySession.create(store=store)
    with pytest.raises(ValueError, match="file.id"):
        session.add_files([file_id])
    assert list(session.list_files()) == []


def test_a_boot_session_id_is_one_path_segment(store):
    galbot = Recording(store.storage_root, "galbot")
    galbot.log("cam", [1])
    session = ActivitySession.create(store=store)
    for bad in ["..", "../" + galbot.boot_session_id, galbot.boot_session_id + "/logs", "/"]:
        with pytest.raises(ValueError, match="session id"):
            session.add_recording(bad)
    assert list(session.list_files()) == []


# ---- defect 9: JSON that has no UTF-8 form ---------------------------------------------------------


def test_a_lone_surrogate_in_a_body_is_a_value_error_naming_the_problem(tmp_path):
    peer = Peer("galbot", "app").with_storage_root(str(tmp_path))
    frame = peer.register_frame("base", FrameDef.ros_body())
    body = dict(CAMERA, type="\ud800", frame={"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash})
    before = tree(tmp_path)
    with pytest.raises(ValueError, match="surrogate"):
        peer.register_sensor("cam", body)
    assert tree(tmp_path) == before


# ---- defect 10: a second process re-registering a log that is being written ---------------------------

WRITER = """
import sys, time
sys.path.insert(0, sys.argv[2])
from test_path_safety import era_a_sensor_log
from auki_session import Session
log = era_a_sensor_log(Session("galbot", "app").with_storage_root(sys.argv[1]), segment_duration_ns=1_000_000_000)
log.append(1, b"first")
log.flush()
print("writing", flush=True)
sys.stdin.readline()
log.append(2, b"second")
log.close()
print("closed", flush=True)
"""


def test_re_registering_a_log_another_process_writes_is_refused_before_touching_its_manifest(tmp_path):
    tests = os.path.dirname(os.path.abspath(__file__))  # the writer imports this module's helper
    bindings = str(paths.BINDINGS)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in [bindings, tests, str(paths.TESTS), os.environ.get("PYTHONPATH", "")] if p))
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), tests], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert writer.stdout.readline().strip() == "writing"
        manifest = tmp_path / "logs" / "galbot" / "cam" / "manifest.json"
        held = manifest.read_bytes()
        with pytest.raises(RuntimeError, match="locked by another writer"):
            era_a_sensor_log(Session("galbot", "app").with_storage_root(str(tmp_path)), segment_duration_ns=5)
        assert manifest.read_bytes() == held
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "closed"
    finally:
        writer.kill()
        writer.wait()
    # The writer is gone: registering again is allowed, and the data it wrote is all there.
    log = era_a_sensor_log(Session("galbot", "app").with_storage_root(str(tmp_path)), segment_duration_ns=5)
    assert [(e.timestamp_ns, bytes(e.payload)) for e in log.read()] == [(1, b"first"), (2, b"second")]
