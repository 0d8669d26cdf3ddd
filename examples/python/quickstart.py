"""AukiNative quickstart: declare who this device is, what it measures, and the logs it owns.

Runs unchanged against the upstream `auki_session` names (the Quickstart's era-A Session).
Usage: python3 quickstart.py [STORAGE_ROOT]   (default: a new temporary directory)
"""
import json
import sys
import tempfile
from pathlib import Path

from auki_session import FrameDef, HeadSpec, SensorLogSpec, Session

root = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="auki-quickstart-")

# Who: a peer (device) running an app; the session id is a fresh ULID.
session = Session("galbot", "galbot-control-plane").with_storage_root(root)
print(f"session {session.session_id} of peer {session.peer_id} at {session.storage_root}")

# What it measures: a camera frame convention, the camera, and the clock that stamps its data.
frame = session.register_frame("head_left_camera_optical", FrameDef.ros_optical())
sensor = session.register_sensor("head_left_rgb", {
    "kind": "camera", "type": "rgb",
    "width": 1920, "height": 1200, "frame_rate_hz": 30,
    "pixel_format": "rgb8", "color_space": "srgb",
    "intrinsics_model": "pinhole", "distortion_model": "brown_conrady",
    "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash},
})
clock = session.register_clock("session/sdk_clock", {
    "type": "monotonic_clock", "unit": "nanoseconds", "monotonic": True, "scope": "device-local",
})
print(f"registered {sensor!r}")

# What it owns: a rolling 5 s sensor log in 1 s segments.
handle = session.register_sensor_log(SensorLogSpec(
    sensor=sensor, clock=clock, frame=frame,
    head=HeadSpec.rolling(5_000_000_000),
    segment_duration_ns=1_000_000_000, retention_ns=5_000_000_000,
))
manifest = Path(root) / "logs" / "galbot" / handle.resource_id / "manifest.json"
print(f"log {handle.log_ref!r}\nmanifest {manifest}:\n  {manifest.read_text()}")

# What it advertises: the catalog rows peers in a domain would see.
print("catalog:")
print(json.dumps(session.catalog(), indent=2, sort_keys=True))
