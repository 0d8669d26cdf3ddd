"""A camera over a domain, two processes: the C# owner (tests/domain/DomainPeer) appends 6.9 MB frames
at 30 Hz for a few seconds while this process materializes them live, then checks the copy entry by
entry (byte-identical, no gap) and that control calls kept answering meanwhile. Functional bounds only:
the machine is shared; throughput is measured in bench/domain."""
import logging
import os
import struct
import threading
import time

import pytest

from auki_domain import Domain, DomainConfig, ReadFrom
from auki_session import LogRef, Peer
from domain.support import OwnerPeer, wait_until

DOMAIN = "lab"
CAM = LogRef("galbot", "head_left_rgb")
FRAME = 6_900_000
STEP_NS = 33_333_333


def frame(i):
    """DomainPeer's Payload(i, FRAME): byte k is (i*31 + k*7) & 0xFF, periodic in k with period 256."""
    period = bytes((i * 31 + k * 7) & 0xFF for k in range(256))
    return (period * (FRAME // 256 + 1))[:FRAME]


def entries_of(root):
    """(timestamp_ns, payload) of the log's complete entries, one segment in memory at a time (core/Logs/FORMAT.md)."""
    seg_dir = os.path.join(root, "segments")
    for name in sorted(os.listdir(seg_dir)) if os.path.isdir(seg_dir) else []:
        if not name.endswith(".seg"):
            continue
        with open(os.path.join(seg_dir, name), "rb") as f:
            data = f.read()
        if len(data) < 16 or data[:4] != b"AKLG":
            continue
        header = 12 if struct.unpack_from("<H", data, 4)[0] == 1 else 16
        pos = 16
        while pos + header <= len(data):
            ts, length = struct.unpack_from("<qI", data, pos)
            if pos + header + length > len(data):
                break
            yield ts, data[pos + header:pos + header + length]
            pos += header + length


def segment_bytes(root):
    seg_dir = os.path.join(root, "segments")
    return sum(os.path.getsize(os.path.join(seg_dir, n)) for n in os.listdir(seg_dir)) if os.path.isdir(seg_dir) else 0


def test_a_30_hz_camera_is_materialized_live_byte_identical_while_control_calls_answer(broker, tmp_path):
    owner = OwnerPeer(str(tmp_path / "galbot"), broker.url, DOMAIN)
    try:
        owner.append(1, FRAME, STEP_NS)
        peer = Peer("park", "park-vis").with_storage_root(str(tmp_path / "park"))
        session = peer.start_session()
        with Domain.join(peer, session, DomainConfig(DOMAIN, broker=broker.url)) as domain:
            handle = session.materialize_remote_log(CAM, retention_ns=0, segment_duration_ns=1_000_000_000)
            slowest = [0.0]
            running = threading.Event()
            running.set()

            def probe():
                while running.is_set():
                    started = time.monotonic()
                    assert domain.peers() == ["galbot", "park"]
                    domain.fetch_resources_catalog("galbot")
                    slowest[0] = max(slowest[0], time.monotonic() - started)
                    time.sleep(0.05)

            prober = threading.Thread(target=probe)
            prober.start()
            states = set()
            frames = 90  # 3 s at 30 Hz
            started = time.monotonic()
            for i in range(1, frames):
                owner.append(1, FRAME, STEP_NS)
                if i % 10 == 0:
                    states.add(domain.materialization_status(CAM)["state"])
                time.sleep(max(0.0, started + i / 30 - time.monotonic()))
            running.clear()
            prober.join()
            root = handle.root
            wait_until(lambda: segment_bytes(root) >= frames * FRAME, timeout=60, what=f"{frames} frames in the copy")
            time.sleep(0.2)
            count, first = 0, None
            for i, (ts, data) in enumerate(entries_of(root)):
                first = ts if first is None else first
                assert ts == first + i * STEP_NS, f"gap or duplicate at entry {i}"
                assert data == frame(i), f"frame {i} differs"
                count += 1
            assert count == frames
            assert states <= {"connecting", "catching_up", "live", "stalled"}, states
            status = domain.materialization_status(CAM)
            assert status["state"] == "live" and status["lag_entries"] == 0, status
            assert status["received_bytes"] >= (frames - 1) * FRAME
            with pytest.raises(KeyError):
                domain.materialization_status(LogRef("galbot", "nope"))
            # Before chunks and the data connection, peers() timed out (10 s) while a frame was in flight.
            assert slowest[0] < 5.0, f"slowest peers()+catalog took {slowest[0]:.2f} s"
    finally:
        owner.close()


def test_connection_retry_and_stream_events_reach_python_logging_and_the_status(broker, tmp_path, caplog):
    owner = OwnerPeer(str(tmp_path / "galbot"), broker.url, DOMAIN)
    try:
        owner.append(3)
        peer = Peer("park", "park-vis").with_storage_root(str(tmp_path / "park"))
        session = peer.start_session()
        with caplog.at_level(logging.DEBUG, logger="auki"):
            with Domain.join(peer, session, DomainConfig(DOMAIN, broker=broker.url)) as domain:
                stream = domain.open_stream(CAM, ReadFrom.from_start())
                assert [stream.next(10).timestamp_ns is not None for _ in range(3)] == [True] * 3
                wait_until(lambda: stream.status()["state"] == "live", timeout=10, what="live")
                assert stream.status()["received_entries"] == 3
                assert stream.status()["lane"] == "small"  # three small entries: served on the small-stream connection
                broker.stop()
                wait_until(lambda: stream.status()["state"] == "stalled", timeout=10, what="stalled")
                wait_until(lambda: any("stalled" in r.getMessage() for r in caplog.records), timeout=10, what="stall logged")
                broker.start()
                wait_until(lambda: any("reconnected" in r.getMessage() for r in caplog.records), timeout=20, what="reconnected")
                stream.close()
        messages = [r.getMessage() for r in caplog.records if r.name == "auki"]
        assert any("connection to mqtt://" in m and "lost" in m for m in messages), messages
        assert any("stalled" in m for m in messages), messages
    finally:
        owner.close()
