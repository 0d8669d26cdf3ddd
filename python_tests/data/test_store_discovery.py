"""Discovery from Python (auki_data.Store.peers/boot_sessions/logs/log/open) over a store with
several peers and boot sessions, checked against what `auki ls --json` prints for the same root and
what the C ABI's auki_store_list returns: one core implementation, the same field names."""
import ctypes
import json
import os
import subprocess
from pathlib import Path

import pytest

import auki_datatypes as adt
from auki_data import BootSessionInfo, LogInfo, NotFoundError, PeerInfo, Store
from auki_logs import Entry, Log
from auki_session import FrameDef, HeadSpec, LogRef, Peer, SensorLogSpec

import paths

AUKI = paths.REPO / "build" / "cli" / "auki"
CLOCK = {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"}
CAMERA = {"kind": "camera", "type": "rgb", "width": 2, "height": 1, "frame_rate_hz": 30, "image_encoding": "raw",
          "row_stride_bytes": 6, "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole",
          "distortion_model": "brown_conrady"}


def _boot(root, peer_id, logs):
    """One boot session of peer_id: a camera log per (resource_id, timestamps); returns (session_id, {rid: file_id})."""
    peer = Peer(peer_id, f"{peer_id}-app").with_storage_root(str(root))
    frame = peer.register_frame("cam_optical", FrameDef.ros_optical())
    session = peer.start_session()
    clock = session.register_clock("session/sdk_clock", CLOCK)
    ids = {}
    for rid, stamps in logs.items():
        sensor = peer.register_sensor(rid, dict(CAMERA, frame={"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}))
        handle = session.register_sensor_log(SensorLogSpec(sensor=sensor, clock=clock, frame=frame, head=HeadSpec.rolling(0),
                                                           segment_duration_ns=1_000, retention_ns=0))
        for ts in stamps:
            handle.append(ts, adt.camera.CameraFrame(frame=bytes([ts % 256]) * 6))
        handle.close()
        ids[rid] = os.path.relpath(handle.root, root).replace(os.sep, "/")
    return session.session_id, ids


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("discovery")
    galbot_a, a = _boot(root, "galbot", {"head_rgb": [100, 1_500, 2_500], "wrist_rgb": []})
    galbot_b, b = _boot(root, "galbot", {"head_rgb": [10_000, 12_000]})
    spot, s = _boot(root, "spot", {"front_rgb": [500, 900]})
    legacy = Log.open(str(root / "logs" / "legacy-bot" / "uwb"), {"segment_duration_ns": 1_000, "retention_ns": 0})
    legacy.append(7, b"uwb")
    legacy.close()
    return {"root": str(root), "galbot_a": galbot_a, "galbot_b": galbot_b, "spot": spot,
            "files": {"galbot_a": a, "galbot_b": b, "spot": s}}


def _ls_json(root):
    if not AUKI.exists():
        pytest.fail(f"{AUKI} is missing: ./build.sh builds the auki tool the Python suite compares against")
    return json.loads(subprocess.run([str(AUKI), "ls", root, "--json"], check=True, capture_output=True, text=True).stdout)


def _c_listing(root):
    from _auki._ffi import lib
    from _auki._strings import call_string

    return json.loads(call_string(lib.auki_store_list, root.encode()))


def test_python_c_and_auki_ls_json_list_the_same_store(store):
    ls = _ls_json(store["root"])
    assert _c_listing(store["root"]) == ls
    s = Store(store["root"])
    ls_peers = ls["peers"]
    assert [p.peer_id for p in s.peers()] == [p["peer_id"] for p in ls_peers] == ["galbot", "legacy-bot", "spot"]
    for peer, row in zip(s.peers(), ls_peers):
        assert peer == PeerInfo._from(row)
    ls_boots = [b for p in ls_peers for b in p["boot_sessions"]]
    assert s.boot_sessions() == [BootSessionInfo._from(b) for b in ls_boots]
    ls_logs = [log for b in ls_boots for log in b["logs"]]
    assert [log.record for log in s.logs()] == ls_logs
    assert len(ls_logs) == 5


def test_peers_and_boot_sessions_count_what_was_recorded(store):
    s = Store(store["root"])
    galbot = next(p for p in s.peers() if p.peer_id == "galbot")
    assert (galbot.boot_session_count, galbot.log_count, galbot.entries, galbot.app_ids) == (2, 3, 5, ("galbot-app",))
    boots = s.boot_sessions("galbot")
    assert [b.boot_session_id for b in boots] == sorted([store["galbot_a"], store["galbot_b"]])
    first = next(b for b in boots if b.boot_session_id == store["galbot_a"])
    assert (first.log_count, first.entries, first.min_timestamp_ns, first.max_timestamp_ns) == (2, 3, 100, 2_500)
    legacy = s.boot_sessions("legacy-bot")
    assert [(b.standalone, b.boot_session_id, b.entries) for b in legacy] == [(True, None, 1)]


def test_a_log_says_what_it_is_and_what_it_holds(store):
    s = Store(store["root"])
    head = s.log(store["files"]["galbot_a"]["head_rgb"])
    assert (head.peer_id, head.source_peer_id, head.boot_session_id, head.resource_id) == ("galbot", "galbot", store["galbot_a"], "head_rgb")
    assert (head.kind, head.sensor_kind, head.sensor_type, head.payload_type) == ("sensor", "camera", "rgb", "auki.camera.CameraFrame")
    assert (head.entries, head.min_timestamp_ns, head.max_timestamp_ns, head.segment_count) == (3, 100, 2_500, 3)
    assert head.sensor.id == "head_rgb" and head.clock.id == "session/sdk_clock"
    assert head.state == "sealed" or head.state == "live"
    assert Path(head.root) == Path(store["root"]) / head.file_id
    empty = s.log(store["files"]["galbot_a"]["wrist_rgb"])
    assert (empty.entries, empty.min_timestamp_ns, empty.max_timestamp_ns) == (0, None, None)


def test_logs_of_one_device_in_a_time_window(store):
    s = Store(store["root"])
    assert {log.file_id for log in s.logs("galbot")} == set(store["files"]["galbot_a"].values()) | set(store["files"]["galbot_b"].values())
    # [1_000, 2_000] overlaps galbot's first head_rgb (100..2_500) only: the empty log and the later session are out.
    assert [log.file_id for log in s.logs("galbot", 1_000, 2_000)] == [store["files"]["galbot_a"]["head_rgb"]]
    assert [log.file_id for log in s.logs("galbot", start_ns=11_000)] == [store["files"]["galbot_b"]["head_rgb"]]
    assert [log.file_id for log in s.logs(end_ns=99)] == ["logs/legacy-bot/uwb"]
    assert [log.peer_id for log in s.logs(start_ns=2_500, end_ns=2_500)] == ["galbot"]  # bounds are inclusive
    assert s.logs("nobody") == []
    assert [log.file_id for log in s.logs(kind="sensor", boot_session_id=store["spot"])] == [store["files"]["spot"]["front_rgb"]]
    with pytest.raises(ValueError, match="start_ns .* must be <= end_ns"):
        s.logs(start_ns=5, end_ns=1)
    with pytest.raises(ValueError, match="peer_id"):
        s.logs("../etc")


def test_open_reads_any_log_by_file_id_path_logref_or_info(store):
    s = Store(store["root"])
    spot_file = store["files"]["spot"]["front_rgb"]
    by_id = s.open(spot_file)
    assert [e.timestamp_ns for e in by_id] == [500, 900]
    assert [e.timestamp_ns for e in s.open(os.path.join(store["root"], spot_file))] == [500, 900]
    assert [e.timestamp_ns for e in s.open(LogRef("spot", "front_rgb"))] == [500, 900]
    info = s.logs("spot")[0]
    assert [ts for ts, _ in info.read(decode=True)] == [500, 900]
    assert [m.frame for _, m in s.open(info, 600, decode=True)] == [bytes([900 % 256]) * 6]
    assert [e.payload for e in s.open("logs/legacy-bot/uwb")] == [b"uwb"]


def test_a_logref_recorded_in_several_boot_sessions_needs_the_session(store):
    s = Store(store["root"])
    with pytest.raises(ValueError, match="names 2 logs, one per boot session"):
        s.open(LogRef("galbot", "head_rgb"))
    stream = s.open(LogRef("galbot", "head_rgb"), boot_session_id=store["galbot_b"])
    assert [e.timestamp_ns for e in stream] == [10_000, 12_000]


def test_unknown_logs_are_not_found(store):
    s = Store(store["root"])
    with pytest.raises(NotFoundError):
        s.open("logs/nobody/nothing")
    with pytest.raises(NotFoundError):
        s.open(LogRef("spot", "rear_rgb"))
    with pytest.raises(NotFoundError, match="no such directory"):
        Store(os.path.join(store["root"], "missing")).logs()
    with pytest.raises(TypeError, match="opaque payloads"):
        s.open("logs/legacy-bot/uwb", decode=True)


def test_a_stream_holds_one_batch_and_keeps_its_name_after_close(store):
    s = Store(store["root"])
    stream = s.open(store["files"]["galbot_a"]["head_rgb"], 1_000)
    assert iter(stream) is stream and not isinstance(stream, list)
    first = next(stream)
    assert isinstance(first, Entry) and first.timestamp_ns == 1_500
    stream.close()
    assert stream.closed and list(stream) == []
    assert stream.file_id == store["files"]["galbot_a"]["head_rgb"]
    assert stream.log_ref.resource_id == "head_rgb" and stream.root.endswith("head_rgb")
    assert isinstance(stream.log, LogInfo)
