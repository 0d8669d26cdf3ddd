"""Upstream's auki_logs acceptance suite (auki-logs-py ``python_tests/logs/test_logs.py``, 18 tests),
reproduced test by test against AukiNative's ``auki_logs``: module shape, open/manifest, errors,
round trips, segments, context manager, retention, tails, ``Entry`` repr, ``stream_source``, and
the detector loop smoke test."""

import ctypes
import threading
import time

import pytest

import auki_logs


def manifest(segment_ns=1_000_000_000, retention_ns=60_000_000_000):
    return {"segment_duration_ns": segment_ns, "retention_ns": retention_ns, "kind": "test"}


# ---- surface ---------------------------------------------------------------------------------------


def test_module_exports_expected_classes():
    for name in ("Log", "LogReader", "TailIter", "Entry"):
        assert hasattr(auki_logs, name)


def test_open_creates_layout_and_writes_manifest(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    log.close()
    assert (tmp_path / "log_manifest.json").exists()
    assert (tmp_path / "segments").is_dir()


def test_manifest_returns_dict(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    m = log.manifest()
    assert isinstance(m, dict)
    assert m == {"segment_duration_ns": 1_000_000_000, "retention_ns": 60_000_000_000, "kind": "test"}
    log.close()


def test_open_rejects_invalid_manifest(tmp_path):
    with pytest.raises(ValueError, match="manifest"):
        auki_logs.Log.open(str(tmp_path), {"segment_duration_ns": 0, "retention_ns": 0})


def test_append_after_close_raises(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    log.close()
    with pytest.raises(RuntimeError, match="closed"):
        log.append(100, b"hi")


def test_stream_source_carries_log_metadata(tmp_path):
    with auki_logs.Log.open(str(tmp_path), manifest()) as log:
        source = log.stream_source(sensor_id="head_left_rgb", sensor_hash="a" * 32, clock_id="session/sdk_clock",
                                   clock_hash="b" * 32, payload_kind="camera", frame_id="head_left_camera_optical",
                                   frame_hash="c" * 32)
    assert (source.root, source.sensor_id, source.sensor_hash) == (str(tmp_path), "head_left_rgb", "a" * 32)
    assert (source.clock_id, source.clock_hash, source.payload_kind) == ("session/sdk_clock", "b" * 32, "camera")
    assert (source.frame_id, source.frame_hash) == ("head_left_camera_optical", "c" * 32)
    assert repr(source) == f'StreamSource(sensor_id="head_left_rgb", payload_kind="camera", root="{tmp_path}")'
    # The private bridge to the network binding is a capsule with upstream's name.
    capsule = source._stream_source_capsule()
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.argtypes, get_name.restype = (ctypes.py_object,), ctypes.c_char_p
    assert get_name(capsule) == b"auki_logs_py::stream_source::v1"


def test_stream_source_without_frame_has_empty_frame_fields(tmp_path):
    with auki_logs.Log.open(str(tmp_path), manifest()) as log:
        source = log.stream_source(sensor_id="mic", sensor_hash="h", clock_id="c", clock_hash="ch", payload_kind="audio")
    assert source.frame_id == ""
    assert source.frame_hash == ""


def test_stream_source_rejects_unknown_payload_kind(tmp_path):
    with auki_logs.Log.open(str(tmp_path), manifest()) as log:
        with pytest.raises(ValueError, match="payload_kind"):
            log.stream_source(sensor_id="s", sensor_hash="h", clock_id="c", clock_hash="ch", payload_kind="video")


# ---- round trips -----------------------------------------------------------------------------------


def test_round_trip_two_entries(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    log.append(100, b"hello")
    log.append(200, b"world")
    log.close()
    entries = auki_logs.Log.read(str(tmp_path)).entries()
    assert [(e.timestamp_ns, e.payload) for e in entries] == [(100, b"hello"), (200, b"world")]


def test_empty_payload_round_trip(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    log.append(100, b"")
    log.close()
    entries = auki_logs.Log.read(str(tmp_path)).entries()
    assert len(entries) == 1
    assert entries[0].payload == b""


def test_segment_starts_lists_segments(tmp_path):
    seg = 1_000_000_000
    log = auki_logs.Log.open(str(tmp_path), manifest(segment_ns=seg, retention_ns=60 * seg))
    log.append(100, b"in seg 0")
    log.append(seg + 100, b"in seg 1")
    log.close()
    assert auki_logs.Log.read(str(tmp_path)).segment_starts() == [0, seg]


def test_context_manager_closes_log(tmp_path):
    with auki_logs.Log.open(str(tmp_path), manifest()) as log:
        log.append(100, b"inside")
    with pytest.raises(RuntimeError, match="closed"):
        log.append(200, b"after")


def test_set_retention_persists(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    log.set_retention(120_000_000_000)
    assert log.manifest()["retention_ns"] == 120_000_000_000
    log.close()
    assert auki_logs.Log.read(str(tmp_path)).manifest()["retention_ns"] == 120_000_000_000


# ---- tails -----------------------------------------------------------------------------------------


def test_tail_starts_at_eof_skipping_existing_entries(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    log.append(100, b"existing")
    log.flush()
    tail = auki_logs.Log.tail(str(tmp_path))
    assert tail.try_next() is None
    log.append(200, b"new")
    log.flush()
    entry = tail.try_next()
    assert entry is not None
    assert (entry.timestamp_ns, entry.payload) == (200, b"new")
    log.close()


def test_tail_iterator_protocol_blocks_until_entry(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    log.flush()
    tail = auki_logs.Log.tail(str(tmp_path))

    def writer():
        time.sleep(0.05)
        log.append(100, b"e1")
        log.flush()

    thread = threading.Thread(target=writer)
    thread.start()
    entry = next(iter(tail))
    thread.join()
    assert (entry.timestamp_ns, entry.payload) == (100, b"e1")
    log.close()


def test_tail_with_poll_interval_does_not_raise(tmp_path):
    auki_logs.Log.open(str(tmp_path), manifest()).close()
    tail = auki_logs.Log.tail(str(tmp_path)).with_poll_interval(50)
    assert tail.try_next() is None


def test_entry_repr_is_informative(tmp_path):
    log = auki_logs.Log.open(str(tmp_path), manifest())
    log.append(100, b"payload")
    log.close()
    r = repr(auki_logs.Log.read(str(tmp_path)).entries()[0])
    assert "100" in r
    assert "7 bytes" in r
    assert r == "Entry(timestamp_ns=100, payload=<7 bytes>)"


# ---- a detector loop -------------------------------------------------------------------------------


def test_detector_pattern_smoke(tmp_path):
    input_dir, output_dir = tmp_path / "input", tmp_path / "output"
    input_log = auki_logs.Log.open(str(input_dir), manifest())
    output_log = auki_logs.Log.open(str(output_dir), manifest())

    def fake_camera():
        for i in range(3):
            time.sleep(0.02)
            input_log.append(100 * (i + 1), f"frame-{i}".encode())
            input_log.flush()

    tail = auki_logs.Log.tail(str(input_dir)).with_poll_interval(5)
    camera = threading.Thread(target=fake_camera)
    camera.start()
    for _ in range(3):
        entry = next(iter(tail))
        output_log.append(entry.timestamp_ns, b"detected:" + entry.payload)
    camera.join()
    input_log.close()
    output_log.close()

    entries = auki_logs.Log.read(str(output_dir)).entries()
    assert [(e.timestamp_ns, e.payload) for e in entries] == [
        (100 * (i + 1), b"detected:" + f"frame-{i}".encode()) for i in range(3)
    ]


def test_map_stream_source_pins_resource_map_and_clock_identity(tmp_path):
    # Upstream's Rust test of the logs binding, through Python.
    with auki_logs.Log.open(str(tmp_path / "map"), manifest()) as log:
        source = log.map_stream_source(resource_id="voxel/world", map_peer_id="peer-a", map_id="voxel/world",
                                       map_hash="map-hash", clock_peer_id="peer-a", clock_id="clock", clock_hash="clock-hash")
        sensor = log.stream_source(sensor_id="s", sensor_hash="h", clock_id="c", clock_hash="ch", payload_kind="audio")
    assert (source.payload_kind, source.resource_id, source.map_hash, source.clock_peer_id) == ("map", "voxel/world", "map-hash", "peer-a")
    assert (source.map_peer_id, source.map_id, source.clock_id, source.clock_hash) == ("peer-a", "voxel/world", "clock", "clock-hash")
    assert (source.sensor_id, source.sensor_hash, source.frame_id, source.frame_hash) == ("", "", "", "")
    assert (sensor.resource_id, sensor.map_peer_id, sensor.map_id, sensor.map_hash, sensor.clock_peer_id) == ("",) * 5


def test_map_stream_source_refuses_empty_fields_and_closed_logs(tmp_path):
    log = auki_logs.Log.open(str(tmp_path / "map"), manifest())
    args = dict(resource_id="r", map_peer_id="p", map_id="m", map_hash="h", clock_peer_id="p", clock_id="c", clock_hash="ch")
    with pytest.raises(ValueError, match="^map_hash must not be empty$"):
        log.map_stream_source(**dict(args, map_hash=""))
    log.close()
    with pytest.raises(RuntimeError, match="closed"):
        log.map_stream_source(**args)
