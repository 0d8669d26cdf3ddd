"""The live Foxglove WebSocket server (issue 12, item 3), met as a Foxglove user meets it: started
from Python over a storage root while a writer appends, and read by Foxglove's own npm client
(@foxglove/ws-protocol, protobufjs decoding from the advertised schemas) in tests/foxglove-live.
"""

import hashlib
import json
import os
import queue
import shutil
import socket
import subprocess
import threading

import pytest

import auki_datatypes as adt
from auki_data import FoxgloveServer, NotFoundError
from auki_datatypes.pose import Quat, SpatialTransform, Vec3
from auki_session import FrameDef, HeadSpec, Peer, PoseLogSpec, SensorLogSpec

import paths

CLIENT_DIR = str(paths.REPO / "tests" / "foxglove-live")
# Frames big enough that a client that does not read overflows its queue (64 MiB) and the kernel's buffers.
WIDTH, HEIGHT = 1280, 720
FRAMES = 40
POSES_PER_FRAME = 12
# Foxglove's well-known schemas, the same the MCAP export writes (core/Foxglove/FoxgloveProfile).
CAMERA_SCHEMAS = {"foxglove.RawImage"}
POSE_SCHEMAS = {"foxglove.FrameTransform"}


def _node_client():
    """node and the npm client from tests/foxglove-live's lock file (npm ci, as tests/cli/run.sh does)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        print("skipping: node/npm not installed (./build.sh deps installs them)")
        pytest.skip("node and npm are needed for Foxglove's client (./build.sh deps installs them)")
    modules = os.path.join(CLIENT_DIR, "node_modules")
    lock, installed = os.path.join(CLIENT_DIR, "package-lock.json"), os.path.join(modules, ".package-lock.json")
    if (not os.path.isdir(os.path.join(modules, "@foxglove", "ws-protocol")) or not os.path.exists(installed)
            or os.path.getmtime(lock) > os.path.getmtime(installed)):
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CLIENT_DIR, check=True)
    return node


class _Client:
    """One node client process; its stdout lines (JSON) arrive on a queue."""

    def __init__(self, node, *args):
        self.proc = subprocess.Popen([node, os.path.join(CLIENT_DIR, "client.mjs"), *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def until(self, predicate, timeout=30):
        """Lines up to and including the first that satisfies ``predicate``."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no expected line from the client within {timeout} s; got {self.seen[-5:]}") from None
            if line is None:
                raise AssertionError(f"client ended early: {self.seen[-5:]} {self.proc.stderr.read()}")
            self.seen.append(line)
            assert "error" not in line, line
            if predicate(line):
                return line

    def rest(self, timeout=60):
        """Every remaining line, once the client has exited."""
        self.proc.wait(timeout=timeout)
        while (line := self.lines.get(timeout=timeout)) is not None:
            self.seen.append(line)
        return self.seen

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def _logs(root):
    peer = Peer("galbot", "galbot-app").with_storage_root(str(root))
    session = peer.start_session()
    clock = session.register_clock("session/sdk_clock", {"type": "monotonic_clock", "unit": "ns", "monotonic": True,
                                                         "scope": "device-local"})
    world = peer.register_frame("world", FrameDef.ros_body())
    head = peer.register_frame("head", FrameDef.ros_body())
    cam_frame = peer.register_frame("cam_optical", FrameDef.ros_optical())
    sensor = peer.register_sensor("cam", {
        "kind": "camera", "type": "rgb", "width": WIDTH, "height": HEIGHT, "frame_rate_hz": 30,
        "image_encoding": "raw", "row_stride_bytes": WIDTH * 3, "pixel_format": "rgb8",
        "color_space": "srgb", "intrinsics_model": "pinhole", "distortion_model": "none",
        "frame": {"peer_id": cam_frame.peer_id, "id": cam_frame.id, "hash": cam_frame.hash}})
    camera = session.register_sensor_log(SensorLogSpec(sensor, clock, frame=cam_frame, head=HeadSpec.rolling(0),
                                                       segment_duration_ns=1_000_000_000, retention_ns=0))
    pose = session.register_pose_log(PoseLogSpec(world, head, clock, {"kind": "manual"}, "rigid", 0, HeadSpec.fixed(),
                                                 1_000_000_000, 0))
    for log in (camera, pose):
        log.configure(buffer_size=0)  # every append reaches the file at once: what a live viewer wants
    return peer, session, camera, pose


def _frame(i):
    return bytes([i % 251]) * (WIDTH * HEIGHT * 3 - 1) + bytes([i % 256])


def _pose(i):
    return SpatialTransform(translation=Vec3(float(i), -1.0, 0.5), orientation=Quat(0.0, 0.0, 0.0, 1.0))


def _digests(obj):
    """Every {len, sha256} the client made of a bytes field, wherever it sits in the message."""
    if isinstance(obj, dict):
        if set(obj) == {"len", "sha256"}:
            yield obj["sha256"]
        for v in obj.values():
            yield from _digests(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _digests(v)


def test_foxglove_client_receives_every_entry_in_order_while_a_stalled_client_does_not_hold_anything_up(tmp_path):
    node = _node_client()
    peer, session, camera, pose = _logs(tmp_path)
    cam_topic, pose_topic = "/galbot/cam", "/galbot/world->head"
    # Probes (timestamps 1..) until the client has one message on each channel, then the real entries.
    start = 1_000_000_000
    frame_ts = [start + i * 33_333_333 for i in range(FRAMES)]
    pose_ts = [start + i * 1_000_000 for i in range(FRAMES * POSES_PER_FRAME)]
    with FoxgloveServer(str(tmp_path), port=0) as server:
        assert server.port > 0 and server.url == f"ws://127.0.0.1:{server.port}"
        url = server.url
        stalled = _Client(node, "stall", url, cam_topic, pose_topic)
        checker = _Client(node, "check", url, f"{cam_topic}={frame_ts[-1]}", f"{pose_topic}={pose_ts[-1]}")
        try:
            stalled.until(lambda line: line.get("stalled"))
            subscribed = [checker.until(lambda line: "subscribed" in line) for _ in range(2)]
            checker.until(lambda line: line.get("ready"))
            schema = {s["subscribed"]: s["schemaName"] for s in subscribed}
            assert schema[cam_topic] in CAMERA_SCHEMAS and schema[pose_topic] in POSE_SCHEMAS
            assert all(s["encoding"] == "protobuf" and s["schemaEncoding"] == "protobuf" for s in subscribed)

            primed, probe = set(), 1
            while primed != {cam_topic, pose_topic}:
                camera.append(probe, adt.camera.CameraFrame(frame=_frame(0)))
                pose.append(probe, _pose(-1))
                probe += 1
                try:
                    line = checker.until(lambda line: "topic" in line, timeout=0.05)
                    primed.add(line["topic"])
                except AssertionError:
                    pass
                assert probe < 400, "the client never received a probe"

            # The writer: 30 Hz frames and 1 kHz poses interleaved. Each frame is appended once the
            # reading client has the previous one (so its own queue never overflows, however slow
            # this machine is), while everything piles up for the stalled client.
            for i, ts in enumerate(frame_ts):
                for j in range(POSES_PER_FRAME):
                    k = i * POSES_PER_FRAME + j
                    pose.append(pose_ts[k], _pose(k))
                camera.append(ts, adt.camera.CameraFrame(frame=_frame(i)))
                checker.until(lambda line: line.get("topic") == cam_topic and int(line["ts"]) == ts)
            # The writer finished while the stalled client held everything it was sent unread.
            assert stalled.proc.poll() is None

            lines = checker.rest()
            assert checker.proc.returncode == 0, (lines[-3:], checker.proc.stderr.read())
            got = {cam_topic: [], pose_topic: []}
            for line in lines:
                if "topic" in line:
                    assert line["schemaName"] == schema[line["topic"]]
                    got[line["topic"]].append(line)
            cams = [m for m in got[cam_topic] if int(m["ts"]) >= start]
            poses = [m for m in got[pose_topic] if int(m["ts"]) >= start]
            # Every entry, in order, decoded from the advertised schema to what was written.
            assert [int(m["ts"]) for m in cams] == frame_ts
            assert [int(m["ts"]) for m in poses] == pose_ts
            for i, m in enumerate(cams):
                assert hashlib.sha256(_frame(i)).hexdigest() in set(_digests(m["message"])), f"frame {i}"
            for k, m in enumerate(poses):
                assert float(m["message"]["translation"]["x"]) == float(k), f"pose {k}"

            # The stalled client, reading again, got the newest data and was told it lost the oldest.
            stalled.proc.stdin.write("resume\n")
            stalled.proc.stdin.flush()
            resumed = stalled.until(lambda line: line.get("resumed"))
            warnings = [line["status"] for line in stalled.seen if "status" in line]
            assert any(w["level"] == 1 and "not keeping up" in w["message"] for w in warnings), warnings
            assert resumed["received"] < FRAMES * (1 + POSES_PER_FRAME)
        finally:
            stalled.kill()
            checker.kill()
    assert server.closed


def test_closing_the_server_ends_its_clients_connections_and_frees_the_port(tmp_path):
    with FoxgloveServer(str(tmp_path), port=0) as server:
        port = server.port
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      b"Sec-WebSocket-Protocol: foxglove.sdk.v1\r\n\r\n")
            data = b""
            while b'"op":"serverInfo"' not in data:  # the answer, then serverInfo (a text frame) first
                chunk = s.recv(65536)
                assert chunk, data
                data += chunk
            assert data.startswith(b"HTTP/1.1 101 ") and b"Sec-WebSocket-Protocol: foxglove.sdk.v1" in data
            server.close()
            rest = b""
            while chunk := s.recv(65536):
                rest += chunk
            # A close frame (FIN + opcode 8) before the connection ended.
            assert bytes([0x88]) in rest, rest
        # A closed server keeps its identity, as a closed file keeps its name.
        assert (server.closed, server.port, server.url) == (True, port, f"ws://127.0.0.1:{port}")
    # The port is free again: a new server can take it.
    with FoxgloveServer(str(tmp_path), port=port) as again:
        assert again.port == port


def test_a_root_that_is_not_a_directory_and_a_port_in_use_are_refused(tmp_path):
    with pytest.raises(NotFoundError, match="no such directory"):
        FoxgloveServer(str(tmp_path / "missing"), port=0)
    with FoxgloveServer(str(tmp_path), port=0) as server:
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{server.port}"):
            FoxgloveServer(str(tmp_path), port=server.port)
    with pytest.raises(ValueError, match="port must be 0-65535"):
        FoxgloveServer(str(tmp_path), port=70000)


def test_peer_serve_foxglove_serves_the_peers_storage_root(tmp_path):
    peer = Peer("galbot", "galbot-app").with_storage_root(str(tmp_path))
    with peer.serve_foxglove(port=0) as server:
        assert server.port > 0 and repr(server) == f"FoxgloveServer({str(tmp_path)!r}, {server.url})"
    assert repr(server) == f"FoxgloveServer({str(tmp_path)!r}, closed)"
