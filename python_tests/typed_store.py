"""A store of typed logs for the decoded-read tests and bench/activity: one peer's boot session
with a scalar, a pose, a camera, a raw (rf) and a time-transform log, written through
``auki_session`` handles (so manifests, sensor entries and payload types are the real ones)."""

from auki_datatypes import camera, pose, scalar, time_transform
from auki_session import FrameDef, HeadSpec, Peer, PoseLogSpec, SensorLogSpec, TimeTransformLogSpec

CAMERA_WIDTH, CAMERA_HEIGHT = 4, 2


class TypedRecording:
    """``TypedRecording(root, peer_id)``: the peer, its boot session and clocks; ``*_log()`` declare a
    log, write the given entries and return its file id (path relative to ``root``)."""

    def __init__(self, root, peer_id="galbot"):
        self.root = str(root)
        self.peer_id = peer_id
        self.peer = Peer(peer_id, "typed-tests").with_storage_root(self.root)
        self.session = self.peer.start_session()
        self.clock = self.session.register_clock(
            "session/sdk_clock", {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
        self.utc = self.session.register_clock(
            "session/utc", {"type": "utc_clock", "unit": "ns", "monotonic": False, "scope": "global"})
        self._base = self.peer.register_frame("base", FrameDef.ros_body())

    def _file_id(self, handle):
        import os

        return os.path.relpath(handle.root, self.root).replace(os.sep, "/")

    def _sensor_log(self, sensor_id, body, entries):
        sensor = self.peer.register_sensor(sensor_id, body)
        with self.session.register_sensor_log(SensorLogSpec(
                sensor=sensor, clock=self.clock, frame=self._base, head=HeadSpec.rolling(0),
                segment_duration_ns=1_000_000_000, retention_ns=0)) as log:
            for ts, message in entries:
                log.append(ts, message)
            return self._file_id(log)

    def scalar_log(self, values, sensor_id="battery"):
        """``values``: ``[(timestamp_ns, float)]``."""
        body = {"kind": "scalar", "type": "battery_charge", "unit": "percent", "expected_rate_hz": 1000}
        return self._sensor_log(sensor_id, body, [(ts, scalar.Data(value=v)) for ts, v in values])

    def camera_log(self, frames, sensor_id="cam"):
        """``frames``: ``[(timestamp_ns, frame_bytes, fx or None)]`` (``None``: no dynamic intrinsics)."""
        frame = self.peer.register_frame("cam_optical", FrameDef.ros_optical())
        body = {
            "kind": "camera", "type": "rgb", "width": CAMERA_WIDTH, "height": CAMERA_HEIGHT, "frame_rate_hz": 30,
            "image_encoding": "raw", "row_stride_bytes": CAMERA_WIDTH * 3, "pixel_format": "rgb8",
            "color_space": "srgb", "intrinsics_model": "pinhole", "distortion_model": "none",
            "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash},
        }
        messages = []
        for ts, data, fx in frames:
            message = camera.CameraFrame(frame=data)
            if fx is not None:
                message.dynamic_intrinsics = camera.DynamicIntrinsics(fx=fx, fy=fx, cx=2.0, cy=1.0,
                                                                      distortion_coefficients=[0.1, -0.2])
            messages.append((ts, message))
        return self._sensor_log(sensor_id, body, messages)

    def raw_log(self, entries, sensor_id="radio"):
        """An ``rf`` sensor log (no message type): ``entries`` ``[(timestamp_ns, bytes)]``."""
        base = {"peer_id": self._base.peer_id, "id": self._base.id, "hash": self._base.hash}
        return self._sensor_log(sensor_id, {"kind": "rf", "type": "wifi_csi", "frame": base}, entries)

    def pose_log(self, poses):
        """``poses``: ``[(timestamp_ns, (x, y, z), (qx, qy, qz, qw))]``."""
        head = self.peer.register_frame("head", FrameDef.ros_body())
        with self.session.register_pose_log(PoseLogSpec(self._base, head, self.clock, {"kind": "manual"}, "rigid", 1000,
                                                        HeadSpec.rolling(0), 1_000_000_000, 0)) as log:
            for ts, (x, y, z), (qx, qy, qz, qw) in poses:
                log.append(ts, pose.SpatialTransform(translation=pose.Vec3(x, y, z), orientation=pose.Quat(qx, qy, qz, qw)))
            return self._file_id(log)

    def time_transform_log(self, offsets):
        """monotonic → UTC: ``offsets`` ``[(timestamp_ns, offset_ns)]`` (``utc − monotonic`` at that reading)."""
        with self.session.register_time_transform_log(TimeTransformLogSpec(
                self.clock, self.utc, {"kind": "local_clock_read"}, HeadSpec.rolling(0), 1_000_000_000, 0)) as log:
            for ts, offset in offsets:
                log.append(ts, time_transform.TimeTransformEntry(offset_ns=offset, uncertainty_ns=10))
            return self._file_id(log)
