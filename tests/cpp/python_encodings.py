"""Poses and camera frames with seeded random values, one per line as float.hex() text followed by
the bytes auki_datatypes encodes them to (hex): tests/cpp/test_messages.cpp appends the same values
through auki.hpp's message overload and compares what lands in the log byte for byte.

    pose tx ty tz qx qy qz qw ENCODED
    camera fx fy cx cy k1 k2 k3 k4 k5 FRAME ENCODED      (FRAME: 4 bytes, a 2x2 luma8 image)

-0.0 is left out on purpose: auki_datatypes (like upstream's prost) omits it as a default, Google's
C++ protobuf sends it (README, "Typed payloads").
"""

import random

from auki_datatypes import camera, pose

rng = random.Random(11)


def value():
    return rng.choice([0.0, 1.0, -2.5, 1e-310, 1e308, float("inf"), float("nan"), rng.uniform(-1e3, 1e3),
                       rng.uniform(-1.0, 1.0)])


for _ in range(200):
    t = [value() for _ in range(7)]
    msg = pose.SpatialTransform(translation=pose.Vec3(*t[:3]), orientation=pose.Quat(*t[3:]))
    print("pose", *(x.hex() for x in t), bytes(msg).hex())

for _ in range(50):
    k = [value() for _ in range(4)]
    d = [value() for _ in range(5)]
    frame = bytes(rng.randrange(256) for _ in range(4))
    msg = camera.CameraFrame(dynamic_intrinsics=camera.DynamicIntrinsics(*k, distortion_coefficients=d), frame=frame)
    print("camera", *(x.hex() for x in k + d), frame.hex(), bytes(msg).hex())
