"""Per-message encode/decode cost from Python (auki_datatypes): a 6.9 MB raw camera entry
(1920x1200 rgb8 + intrinsics) and a pose, each beside struct.pack/unpack of the same fields in the
same run (for the camera: the frame joined in once, as any encoder must). Best of 5 rounds.
  PYTHONPATH=bindings/python python3 bench/datatypes/bench_datatypes.py
"""
import os
import struct
import time

from auki_datatypes import camera, pose

FRAME = os.urandom(1920 * 1200 * 3)


def row(name, iterations, op):
    for _ in range(max(2, iterations // 100)):
        op()
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter_ns()
        for _ in range(iterations // 5):
            op()
        best = min(best, (time.perf_counter_ns() - t0) / (iterations // 5))
    text = f"{best / 1e6:.2f} ms" if best >= 1e6 else f"{best / 1e3:.2f} µs" if best >= 1e3 else f"{best:.1f} ns"
    print(f"Py  {name:<62} {text:>12}")


intr = camera.DynamicIntrinsics(fx=1234.5, fy=1234.5, cx=960.0, cy=600.0, distortion_coefficients=[0.1, -0.2, 0.001, 0.002, 0.0])
cam = camera.CameraFrame(dynamic_intrinsics=intr, frame=FRAME)
cam_bytes = bytes(cam)
cam_view = memoryview(cam_bytes)
packed_cam = struct.pack("<9d", 1234.5, 1234.5, 960.0, 600.0, 0.1, -0.2, 0.001, 0.002, 0.0) + FRAME
PACK9 = struct.Struct("<9d")

row("camera 6.9 MB: encode, bytes(msg)", 100, lambda: bytes(cam))
row("camera 6.9 MB: baseline struct.pack 9 f64 + join frame", 100,
    lambda: b"".join((PACK9.pack(intr.fx, intr.fy, intr.cx, intr.cy, *intr.distortion_coefficients), FRAME)))
row("camera 6.9 MB: decode, CameraFrame().parse (frame copied once)", 100, lambda: camera.CameraFrame().parse(cam_view))
row("camera 6.9 MB: baseline struct.unpack 9 f64 + frame bytes()", 100,
    lambda: (PACK9.unpack_from(packed_cam), memoryview(packed_cam)[72:].tobytes()))

t = pose.SpatialTransform(translation=pose.Vec3(x=1.25, y=-2.5, z=0.75), orientation=pose.Quat(x=0.1, y=0.2, z=0.3, w=0.927))
pose_bytes = bytes(t)
PACK7 = struct.Struct("<7d")
packed_pose = PACK7.pack(1.25, -2.5, 0.75, 0.1, 0.2, 0.3, 0.927)
tr, q = t.translation, t.orientation

row("pose: encode, bytes(msg)", 200_000, lambda: bytes(t))
row("pose: construct + encode", 200_000, lambda: bytes(pose.SpatialTransform(
    translation=pose.Vec3(x=1.25, y=-2.5, z=0.75), orientation=pose.Quat(x=0.1, y=0.2, z=0.3, w=0.927))))
row("pose: baseline struct.pack 7 f64 (attributes read)", 200_000, lambda: PACK7.pack(tr.x, tr.y, tr.z, q.x, q.y, q.z, q.w))
row("pose: decode, SpatialTransform().parse", 200_000, lambda: pose.SpatialTransform().parse(pose_bytes))
row("pose: baseline struct.unpack 7 f64", 200_000, lambda: PACK7.unpack(packed_pose))
