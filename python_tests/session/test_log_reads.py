"""Reads through log handles and auki_logs: streams with a time window, decoded frames copied once,
and handles that keep their identity after close (as a closed file keeps its name)."""
import tracemalloc

import pytest

import auki_datatypes as adt
from _auki._logdata import _BATCH_BYTES
from auki_logs import Entry, EntryStream, Log
from auki_session import FrameDef, HeadSpec, LogRef, Peer, SensorLogSpec

CLOCK = {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"}


def _camera_log(tmp_path, width, height):
    peer = Peer("galbot", "reads").with_storage_root(str(tmp_path))
    frame = peer.register_frame("cam_optical", FrameDef.ros_optical())
    sensor = peer.register_sensor("head_rgb", {
        "kind": "camera", "type": "rgb", "width": width, "height": height, "frame_rate_hz": 30, "image_encoding": "raw",
        "row_stride_bytes": width * 3, "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole",
        "distortion_model": "brown_conrady", "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}})
    session = peer.start_session()
    clock = session.register_clock("session/sdk_clock", CLOCK)
    return session.register_sensor_log(SensorLogSpec(sensor=sensor, clock=clock, frame=frame, head=HeadSpec.rolling(0),
                                                     segment_duration_ns=1_000, retention_ns=0))


@pytest.fixture
def log(tmp_path):
    handle = _camera_log(tmp_path, 2, 1)
    for ts in (10, 20, 1_500, 2_000, 2_001):
        handle.append(ts, adt.camera.CameraFrame(frame=bytes([ts % 256]) * 6))
    handle.flush()
    return handle


def test_handle_read_is_an_iterator_over_the_window(log):
    stream = log.read(20, 2_000)
    assert isinstance(stream, EntryStream) and iter(stream) is stream
    assert [e.timestamp_ns for e in stream] == [20, 1_500, 2_000]  # both bounds inclusive
    assert [e.timestamp_ns for e in log.read(start_ns=1_501)] == [2_000, 2_001]
    assert [e.timestamp_ns for e in log.read(end_ns=15)] == [10]
    assert list(log.read(3_000)) == []
    assert [ts for ts, m in log.read(1_000, decode=True)] == [1_500, 2_000, 2_001]
    assert [m.frame for _, m in log.messages(2_001)] == [bytes([2_001 % 256]) * 6]


def test_a_stream_closed_early_stops_and_frees_its_reader(log):
    stream = log.read()
    assert next(stream).timestamp_ns == 10
    with stream:
        pass
    assert stream.closed and list(stream) == []
    with pytest.raises(TypeError):
        log.read()[0]  # a stream, not a list


def test_auki_logs_reader_iterates_streams_and_takes_a_window(log):
    reader = Log.read(log.root)
    assert [e.timestamp_ns for e in reader] == [10, 20, 1_500, 2_000, 2_001]
    assert isinstance(reader.entries(), list)  # upstream's list stays a list
    assert [e.timestamp_ns for e in reader.read(15, 1_500)] == [20, 1_500]
    windowed = Log.read(log.root, start_ns=2_000)
    assert [e.timestamp_ns for e in windowed] == [2_000, 2_001]
    assert [e.timestamp_ns for e in windowed.entries()] == [2_000, 2_001]
    assert all(isinstance(e, Entry) for e in windowed.read())


@pytest.mark.parametrize("width", [300, 1_400])  # 270 KB frames come in batches; 5.9 MB ones alone
def test_a_decoded_camera_read_copies_each_frame_once(tmp_path, width):
    handle = _camera_log(tmp_path, width, 1_400)
    size = width * 3 * 1_400
    handle.append(1, adt.camera.CameraFrame(frame=b"\x07" * size))
    handle.flush()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        (ts, message), = handle.read(decode=True)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert ts == 1 and len(message.frame) == size
    # The batch buffers, and the frame once: a second copy (payload bytes, then the frame) adds `size`.
    assert peak < _BATCH_BYTES + 200_000 + size * 1.5, f"peak {peak} for a {size}-byte frame"


def test_a_closed_handle_keeps_its_identity(log):
    root, payload_type, layout = log.root, log.payload_type, log.frame_layout
    log.close()
    assert log.closed
    assert log.resource_id == "head_rgb"
    assert log.root == root
    assert isinstance(log.log_ref, LogRef) and (log.log_ref.source_peer_id, log.log_ref.resource_id) == ("galbot", "head_rgb")
    assert log.payload_type is payload_type is adt.camera.CameraFrame
    assert log.frame_layout == layout
    for call in (log.read, log.flush, log.tail, lambda: log.append(3_000, b"x")):
        with pytest.raises(RuntimeError, match="has been closed"):
            call()


def test_a_handle_closed_before_asking_still_knows_what_it_carries(tmp_path):
    handle = _camera_log(tmp_path, 2, 1)
    handle.close()
    assert handle.payload_type is adt.camera.CameraFrame
    assert handle.frame_layout["width"] == 2
