"""Data through the session log handles (beyond upstream): append, append_many, read, tail, flush,
configure and close; the bytes land in the auki-logs layout beside ``manifest.json``, so
``auki_logs`` reads them; the catalog counts them; bad input is an exception, never a crash."""

import array
import re
import threading
import time

import pytest

import auki_logs
import auki_session
from auki_session import FrameDef, HeadSpec, Peer, Session, SensorLogSpec

PEER_ID = "galbot"
APP_ID = "galbot-ctrl"
SEC = 1_000_000_000
MONOTONIC = {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"}


def exactly(message):
    return "^" + re.escape(message) + "$"


def camera_body(frame):
    return {
        "kind": "camera", "type": "rgb", "width": 1920, "height": 1200, "frame_rate_hz": 30,
        "pixel_format": "rgb8", "color_space": "srgb", "intrinsics_model": "pinhole",
        "distortion_model": "brown_conrady",
        "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash},
    }


@pytest.fixture
def peer(tmp_path):
    return Peer(PEER_ID, APP_ID).with_storage_root(str(tmp_path))


@pytest.fixture
def session(peer):
    return peer.start_session()


def sensor_log(peer, session, head=None):
    frame = peer.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    sensor = peer.register_sensor("head_left_rgb", camera_body(frame))
    clock = session.register_clock("session/sdk_clock", MONOTONIC)
    return session.register_sensor_log(SensorLogSpec(
        sensor, clock, head=head or HeadSpec.rolling(5 * SEC), segment_duration_ns=SEC, retention_ns=0, frame=frame))


@pytest.fixture
def log(peer, session):
    return sensor_log(peer, session)


def pairs(entries):
    return [(e.timestamp_ns, e.payload) for e in entries]


# ---- single appends and reads ----------------------------------------------------------------------


def test_appended_entries_read_back_in_order(log):
    log.append(100, b"hello")
    log.append(200, b"world")
    log.append(200, b"")  # equal timestamps are allowed
    log.flush()
    assert pairs(log.read()) == [(100, b"hello"), (200, b"world"), (200, b"")]


def test_read_window_is_inclusive_on_both_ends(log):
    for ts in range(100, 1100, 100):
        log.append(ts, ts.to_bytes(2, "little"))
    log.flush()
    assert [e.timestamp_ns for e in log.read(300, 600)] == [300, 400, 500, 600]
    assert [e.timestamp_ns for e in log.read(start_ns=900)] == [900, 1000]
    assert [e.timestamp_ns for e in log.read(end_ns=100)] == [100]
    assert list(log.read(301, 399)) == []
    assert list(log.read(700, 200)) == []


def test_read_returns_auki_logs_entries(log):
    log.append(100, b"payload")
    log.flush()
    (entry,) = log.read()
    assert isinstance(entry, auki_logs.Entry)
    assert repr(entry) == "Entry(timestamp_ns=100, payload=<7 bytes>)"
    with pytest.raises(AttributeError):
        entry.payload = b"other"


def test_a_log_without_data_reads_empty(log):
    assert list(log.read()) == []


def test_entries_are_visible_to_readers_after_flush(log):
    log.append(100, b"buffered")
    assert list(log.read()) == []  # still in the writer's buffer
    log.flush()
    assert pairs(log.read()) == [(100, b"buffered")]


def test_data_lives_beside_the_manifest_in_the_auki_logs_layout(log, tmp_path):
    log.append(100, b"a")
    log.append(SEC + 100, b"b")
    log.flush()
    reader = auki_logs.Log.read(log.root)
    assert reader.segment_starts() == [0, SEC]
    assert pairs(reader.entries()) == [(100, b"a"), (SEC + 100, b"b")]
    with open(f"{log.root}/manifest.json", "rb") as a, open(f"{log.root}/log_manifest.json", "rb") as b:
        assert a.read() == b.read()


def test_append_takes_any_bytes_like_payload(log):
    data = bytearray(b"0123456789")
    log.append(1, data)
    log.append(2, memoryview(data)[2:5])
    log.append(3, array.array("B", [7, 8, 9]))
    log.append(4, array.array("H", [0x0102]))  # two bytes, little-endian
    log.flush()
    assert pairs(log.read()) == [(1, b"0123456789"), (2, b"234"), (3, b"\x07\x08\x09"), (4, b"\x02\x01")]


def test_append_takes_numpy_arrays_including_read_only_ones(log):
    np = pytest.importorskip("numpy")
    frame = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    read_only = np.frombuffer(b"immutable", dtype=np.uint8)
    assert not read_only.flags.writeable
    log.append(1, frame)
    log.append(2, read_only)
    log.flush()
    assert pairs(log.read()) == [(1, bytes(range(24))), (2, b"immutable")]


def test_append_refuses_bad_timestamps_and_payloads(log):
    log.append(1000, b"x")
    with pytest.raises(ValueError, match=exactly("format: timestamp_ns must be ≥ 0")):
        log.append(-1, b"x")
    with pytest.raises(ValueError, match=exactly("format: timestamp_ns 999 is earlier than the last entry (1000)")):
        log.append(999, b"x")
    with pytest.raises(OverflowError):
        log.append(2**63, b"x")
    with pytest.raises(TypeError, match="timestamp_ns"):
        log.append(1.5, b"x")
    with pytest.raises(TypeError, match="bytes-like"):
        log.append(1001, "text")
    with pytest.raises(TypeError, match="bytes-like"):
        log.append(1001, 5)
    np = pytest.importorskip("numpy")
    with pytest.raises(ValueError, match="contiguous"):
        log.append(1001, np.arange(10, dtype=np.uint8)[::2])
    log.flush()
    assert pairs(log.read()) == [(1000, b"x")]


# ---- batches ---------------------------------------------------------------------------------------


def test_append_many_takes_a_sequence_of_payloads(log):
    log.append_many([1, 2, 2], [b"a", bytearray(b"bb"), memoryview(b"ccc")])
    log.append_many((3,), (b"",))
    log.append_many([], [])
    log.flush()
    assert pairs(log.read()) == [(1, b"a"), (2, b"bb"), (2, b"ccc"), (3, b"")]


def test_append_many_counts_bytes_not_items(log):
    wide = [array.array("H", [1, 2]), array.array("H", [3, 4])]  # len() is 2 items, 4 bytes each
    log.append_many([1, 2], wide)
    log.append_many([3, 4], [array.array("H", [5]), b"abc"])
    log.flush()
    assert pairs(log.read()) == [(1, b"\x01\x00\x02\x00"), (2, b"\x03\x00\x04\x00"), (3, b"\x05\x00"), (4, b"abc")]


def test_append_many_takes_one_buffer_with_lengths(log):
    log.append_many(array.array("q", [10, 20, 30]), b"aabbbc", lengths=[2, 3, 1])
    log.flush()
    assert pairs(log.read()) == [(10, b"aa"), (20, b"bbb"), (30, b"c")]


def test_append_many_takes_numpy_rows_and_timestamps(log):
    np = pytest.importorskip("numpy")
    timestamps = np.arange(0, 5000, 1000, dtype=np.int64)
    rows = np.arange(5 * 16, dtype=np.uint8).reshape(5, 16)
    log.append_many(timestamps, rows)
    frames = np.zeros((2, 4, 4, 3), dtype=np.uint8)  # more than two dimensions: one row = one entry
    frames[1] = 9
    log.append_many(np.array([6000, 7000], dtype=np.int64), frames.reshape(2, -1))
    lengths = np.array([1, 3], dtype=np.int64)
    log.append_many(np.array([8000, 9000]), np.frombuffer(b"wxyz", dtype=np.uint8), lengths=lengths)
    log.flush()
    got = pairs(log.read())
    assert got[:5] == [(i * 1000, bytes(range(i * 16, i * 16 + 16))) for i in range(5)]
    assert got[5:7] == [(6000, bytes(48)), (7000, bytes([9]) * 48)]
    assert got[7:] == [(8000, b"w"), (9000, b"xyz")]


def test_append_many_is_validated_as_a_whole(log):
    log.append(100, b"first")
    with pytest.raises(ValueError, match="earlier than the last entry"):
        log.append_many([200, 300, 250], [b"a", b"b", b"c"])
    with pytest.raises(ValueError, match="earlier than the last entry"):
        log.append_many([50], [b"a"])
    with pytest.raises(ValueError, match="2 payloads for 3 timestamps"):
        log.append_many([200, 300, 400], [b"a", b"b"])
    with pytest.raises(ValueError, match="2 lengths for 3 timestamps"):
        log.append_many([200, 300, 400], b"abc", lengths=[1, 2])
    with pytest.raises(ValueError, match="offsets must lie within the payload buffer"):
        log.append_many([200, 300], b"abc", lengths=[2, 2])
    with pytest.raises(ValueError, match="offsets must be non-decreasing"):
        log.append_many([200, 300], b"abc", lengths=[2, -1])
    with pytest.raises(TypeError, match="lengths"):
        log.append_many([200], [b"a"], lengths=[1])
    with pytest.raises(TypeError, match="2-D array"):
        log.append_many([200], b"abc")
    with pytest.raises(TypeError, match="timestamps"):
        log.append_many([200, "300"], [b"a", b"b"])
    with pytest.raises(OverflowError, match="timestamps"):
        log.append_many([2**64], [b"a"])
    with pytest.raises(TypeError):
        log.append_many([200], ["text"])
    log.flush()
    assert pairs(log.read()) == [(100, b"first")]


# ---- options, tails, close -------------------------------------------------------------------------


def test_configure_integrity_writes_checksummed_segments(log):
    log.configure(integrity=True, fsync_interval_ns=1_000_000, buffer_size=0)
    log.append(100, b"checked")
    with open(f"{log.root}/segments/00000000000000000000.seg", "rb") as f:
        header = f.read(16)
    assert header[:6] == b"AKLG\x02\x00"  # format v2: a CRC32C per entry, no flush needed (buffer_size=0)
    assert pairs(log.read()) == [(100, b"checked")]
    with pytest.raises(ValueError, match="before the first append"):
        log.configure(integrity=False)


def test_configure_checks_its_arguments(log):
    with pytest.raises(TypeError):
        log.configure(integrity=1)
    with pytest.raises(OverflowError):
        log.configure(buffer_size=-1)
    with pytest.raises(ValueError, match="options: buffer_size"):
        log.configure(buffer_size=2**40)
    with pytest.raises(TypeError):
        log.configure(True)  # keyword-only


def test_tail_sees_entries_flushed_after_it_opened(log):
    log.append(100, b"old")
    log.flush()
    tail = log.tail()
    assert isinstance(tail, auki_logs.TailIter)
    assert tail.try_next() is None
    log.append(200, b"new")
    log.flush()
    assert pairs([tail.try_next()]) == [(200, b"new")]
    assert tail.try_next() is None
    tail.close()
    with pytest.raises(RuntimeError, match="closed"):
        tail.try_next()


def test_tail_follows_a_writer_thread(log):
    count = 300
    tail = log.tail().with_poll_interval(1)

    def writer():
        for i in range(count):
            log.append(i * 1000, i.to_bytes(4, "little") * 8)
            if i % 7 == 0:
                log.flush()
        log.flush()

    thread = threading.Thread(target=writer)
    thread.start()
    seen = []
    deadline = time.monotonic() + 120  # a safety net against a hang, not a speed check
    while len(seen) < count and time.monotonic() < deadline:
        entry = tail.try_next()
        if entry is None:
            time.sleep(0.001)
            continue
        seen.append(entry)
    thread.join()
    assert [e.timestamp_ns for e in seen] == [i * 1000 for i in range(count)]
    assert all(e.payload == (e.timestamp_ns // 1000).to_bytes(4, "little") * 8 for e in seen)


def test_close_flushes_and_releases_the_writer(log):
    root = log.root
    log.append(100, b"kept")
    with pytest.raises(RuntimeError, match="locked by another writer"):
        auki_logs.Log.open(root, {})
    log.close()
    log.close()  # twice is fine
    assert log.closed
    with pytest.raises(RuntimeError, match=exactly("SensorLogHandle has been closed")):
        log.append(200, b"x")
    with pytest.raises(RuntimeError, match=exactly("SensorLogHandle has been closed")):
        log.append_many([200], [b"x"])
    with pytest.raises(RuntimeError, match=exactly("SensorLogHandle has been closed")):
        log.read()
    with auki_logs.Log.open(root, {}) as other:  # the lock was released
        other.append(300, b"next")
    assert pairs(auki_logs.Log.read(root).entries()) == [(100, b"kept"), (300, b"next")]


def test_every_log_kind_has_data(peer, session):
    frame = peer.register_frame("base_link", FrameDef.ros_body())
    clock = session.register_clock("session/sdk_clock", MONOTONIC)
    pose = session.register_pose_log(auki_session.PoseLogSpec(
        frame, frame, clock, {"kind": "manual"}, "movable", 30, HeadSpec.rolling(SEC), SEC, 0))
    pose.append(1, b"pose")
    pose.flush()
    assert pairs(pose.read()) == [(1, b"pose")]


# ---- catalog -------------------------------------------------------------------------------------


def test_catalog_counts_flushed_data(peer, session, log):
    log.append(100, bytes(10))
    log.append(600, bytes(10))
    (row,) = auki_session.catalog(peer, session)
    assert row["available"] == {"bytes": 0, "entries": 0, "duration_ns": 0}
    log.flush()
    (row,) = auki_session.catalog(peer, session)
    assert row["available"] == {"bytes": 16 + 2 * (12 + 10), "entries": 2, "duration_ns": 500}
    assert row["state"] == "live"


def test_a_catalog_or_domain_join_with_another_peers_session_is_refused_naming_both(peer, session, tmp_path):
    from auki_domain import Domain, DomainConfig

    other = Peer("park", "app").with_storage_root(str(tmp_path))
    message = rf"session {session.session_id} belongs to peer 'galbot', not 'park'"
    with pytest.raises(ValueError, match=message):
        auki_session.catalog(other, session)
    with pytest.raises(ValueError, match=message):  # refused before any broker is asked
        Domain.join(other, session, DomainConfig("lab", broker="mqtt://127.0.0.1:1"))


def test_closing_a_fixed_log_seals_it_in_the_era_a_catalog(tmp_path):
    s = Session(PEER_ID, APP_ID).with_storage_root(str(tmp_path))
    frame = s.register_frame("head_left_camera_optical", FrameDef.ros_optical())
    sensor = s.register_sensor("head_left_rgb", camera_body(frame))
    clock = s.register_clock("session/sdk_clock", MONOTONIC)
    handle = s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.fixed(), SEC, 0, frame=frame))
    handle.append(1_000, b"a")
    handle.append(5_000, b"b")
    handle.flush()
    (row,) = s.catalog()
    assert row["head"] == {"kind": "fixed", "started_at_ns": 1_000}
    assert row["available"]["entries"] == 2
    handle.close()
    (row,) = s.catalog()
    assert row["state"] == "sealed"
    assert row["extent"] == {"start_at_ns": 1_000, "finish_at_ns": 5_000}
    assert "head" not in row


# ---- damage on disk ------------------------------------------------------------------------------


def test_truncated_segment_reads_up_to_the_last_whole_entry(tmp_path):
    root = str(tmp_path / "log")
    with auki_logs.Log.open(root, {"segment_duration_ns": SEC, "retention_ns": 0}) as log:
        for i in range(4):
            log.append(i, b"entry-%d" % i)
    path = tmp_path / "log" / "segments" / "00000000000000000000.seg"
    data = path.read_bytes()
    path.write_bytes(data[:-2])  # cut into the last payload
    assert pairs(auki_logs.Log.read(root).entries()) == [(i, b"entry-%d" % i) for i in range(3)]
    with auki_logs.Log.open(root, {}) as log:  # the writer repairs and continues
        log.append(10, b"after")
    assert pairs(auki_logs.Log.read(root).entries())[-2:] == [(2, b"entry-2"), (10, b"after")]


def test_foreign_segment_is_a_clear_error(tmp_path):
    root = str(tmp_path / "log")
    with auki_logs.Log.open(root, {"segment_duration_ns": SEC, "retention_ns": 0}) as log:
        log.append(1, b"ok")
    (tmp_path / "log" / "segments" / "00000000002000000000.seg").write_bytes(b"garbage, not a segment")
    with pytest.raises(ValueError, match="bad magic"):
        auki_logs.Log.read(root)
    with pytest.raises(ValueError, match="bad magic"):
        auki_logs.Log.open(root, {})
    (tmp_path / "log" / "segments" / "00000000002000000000.seg").write_bytes(b"AKLG\x07\x00" + bytes(10))
    with pytest.raises(ValueError, match="unsupported version 7"):
        auki_logs.Log.read(root)


def test_missing_log_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        auki_logs.Log.read(str(tmp_path / "nothing-here"))


# ---- randomized: appends, batches, reopens and retention against a model ---------------------------


def test_random_operations_match_a_simple_model(tmp_path):
    import random

    rng = random.Random(20240531)
    seg = 100
    root = str(tmp_path / "random")
    model = []  # (ts, payload) of the entries that must be on disk
    retention = 0
    last = 0
    log = auki_logs.Log.open(root, {"segment_duration_ns": seg, "retention_ns": 0})

    def evict(ts):
        if retention > 0:
            current = ts // seg * seg
            model[:] = [(t, p) for t, p in model if t // seg * seg == current or t // seg * seg + seg > ts - retention]

    def add(ts, payload):
        model.append((ts, payload))
        evict(ts)

    for step in range(400):
        op = rng.random()
        if op < 0.55:
            ts = last + rng.choice([0, 1, 7, 30, 99, 100, 250])
            payload = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
            log.append(ts, payload)
            add(ts, payload)
            last = ts
        elif op < 0.70:
            batch = []
            for _ in range(rng.randrange(1, 20)):
                last += rng.choice([0, 3, 60, 120])
                batch.append((last, bytes([rng.randrange(256)]) * rng.randrange(0, 10)))
            for ts, payload in batch:
                log.append(ts, payload)
                add(ts, payload)
        elif op < 0.75 and last > 0:
            with pytest.raises(ValueError, match="earlier than the last entry"):
                log.append(last - 1, b"late")
        elif op < 0.85:
            log.close()
            log = auki_logs.Log.open(root, {"segment_duration_ns": 1, "retention_ns": 1})  # on-disk manifest wins
        elif op < 0.92:
            retention = rng.choice([0, 0, seg, 3 * seg, 10 * seg])
            log.set_retention(retention)
        else:
            log.flush()
            reader = auki_logs.Log.read(root)
            assert pairs(reader.entries()) == model, f"step {step}"
            assert reader.segment_starts() == sorted({t // seg * seg for t, _ in model})
    log.close()
    assert pairs(auki_logs.Log.read(root).entries()) == model


def test_append_many_of_large_payloads_is_checked_before_anything_is_written(log):
    frame = bytes(range(256)) * 512  # 128 KiB: passed to C as a pointer each, never joined
    log.append_many([1, 2], [frame, bytearray(frame)])
    with pytest.raises(ValueError, match=exactly("format: timestamp_ns 3 is earlier than the last entry (4) "
                                                 "(entry 1 of the batch)")):
        log.append_many([4, 3], [frame, frame])
    with pytest.raises(ValueError, match=exactly("format: timestamp_ns must be ≥ 0 (entry 1 of the batch)")):
        log.append_many([5, -1], [frame, frame])
    with pytest.raises(ValueError, match=exactly("format: timestamp_ns 0 is earlier than the last entry (2) "
                                                 "(entry 0 of the batch)")):
        log.append_many([0, 9], [frame, frame])  # the first entry is older than the log's last one
    with pytest.raises(TypeError, match="bytes-like"):
        log.append_many([5, 6], [frame, "text" * 40000])
    log.flush()
    assert [(e.timestamp_ns, len(e.payload)) for e in log.read()] == [(1, len(frame)), (2, len(frame))]
    assert list(log.read())[1].payload == frame


def test_a_refused_batch_of_large_payloads_writes_none_of_its_entries(log):
    frames = [bytes([i]) * (100 * 1024) for i in range(6)]
    log.append(10, b"first")
    # Entries 0-3 are in order; entry 4 goes back in time: the core refuses the whole batch, naming entry 4.
    with pytest.raises(ValueError, match=re.escape("earlier than the last entry (40) (entry 4 of the batch)")):
        log.append_many([10, 20, 30, 40, 35, 50], frames)
    with pytest.raises(ValueError, match=re.escape("timestamp_ns must be ≥ 0 (entry 5 of the batch)")):
        log.append_many([10, 20, 30, 40, 50, -60], frames)
    # A payload that is not bytes-like refuses the batch before C is called.
    with pytest.raises(TypeError, match="payloads"):
        log.append_many([10, 20, 30], [frames[0], frames[1], 42])
    with pytest.raises(TypeError, match="bytes-like"):
        log.append_many([10, 20, 30], [frames[0], bytearray(frames[1]), "text" * 40000])
    log.append_many([11, 12], [frames[1], frames[2]])  # the log still takes a good batch after refusals
    log.flush()
    assert pairs(log.read()) == [(10, b"first"), (11, frames[1]), (12, frames[2])]


def test_append_many_of_large_payloads_takes_any_bytes_like_objects(log):
    frame = bytes(range(256)) * 400  # 100 KiB
    mixed = [frame, bytearray(frame), memoryview(frame), array.array("B", frame), b""]
    log.append_many([1, 2, 3, 4, 5], mixed)
    np = pytest.importorskip("numpy")
    log.append_many([6, 7], [np.frombuffer(frame, dtype=np.uint8), np.frombuffer(frame, dtype=np.uint16)])
    log.flush()
    got = pairs(log.read())
    assert [ts for ts, _ in got] == [1, 2, 3, 4, 5, 6, 7]
    assert all(payload == frame for ts, payload in got if ts != 5)
    assert got[4] == (5, b"")
