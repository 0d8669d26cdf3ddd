"""Era-A class names (upstream before the 2026-05-21 rename) as aliases of today's classes.

Only where the old class had the same fields and numbers, so the alias is the same message; the
old `point_cloud_stream.PointCloudFrame` and `frame_stream.JpegFrame` named their field `bytes`
and are not aliased.
"""
from .auki import audio, camera, detection, joint_encoders, point_cloud

camera.PinholeCameraLogEntry = camera.CameraFrame
point_cloud.PointCloudLogEntry = point_cloud.Data
audio.AudioLogEntry = audio.Data
# Era A's DetectionLogEntry had field 1 (data) only; 2 and 3 were added without renumbering.
detection.DetectionLogEntry = detection.DetectionFrame
joint_encoders.JointEncodersLogEntry = joint_encoders.Data
