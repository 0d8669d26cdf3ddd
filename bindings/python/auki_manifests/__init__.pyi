# Type stubs for auki_manifests (Python 3.9 syntax).
from typing import Any, Dict, List, Mapping, Optional

Manifest = Dict[str, Any]

class PoseSource:
    @staticmethod
    def ros2_tf(publishers: List[str]) -> Dict[str, Any]: ...
    @staticmethod
    def manual() -> Dict[str, str]: ...

class PoseWriterMode:
    RIGID: str
    MOVABLE: str

class TimeTransformSource:
    @staticmethod
    def local_clock_read() -> Dict[str, str]: ...

class DetectionCadence:
    @staticmethod
    def every_frame() -> Dict[str, str]: ...
    @staticmethod
    def periodic(period_ns: int) -> Dict[str, Any]: ...

def build_sensor_log_manifest(*, app_id: str, session_id: str, sensor_id: str, sensor_hash: str, clock_id: str,
                              clock_hash: str, segment_duration_ns: int, retention_ns: int,
                              frame_id: Optional[str] = ..., frame_hash: Optional[str] = ...) -> Manifest: ...
def build_pose_log_manifest(app_id: str, session_id: str, from_frame_id: str, from_frame_hash: str, to_frame_id: str,
                            to_frame_hash: str, clock_id: str, clock_hash: str, source: Dict[str, Any], writer_mode: str,
                            expected_rate_hz: int, segment_duration_ns: int, retention_ns: int) -> Manifest: ...
def build_time_transform_log_manifest(app_id: str, session_id: str, from_clock_id: str, from_clock_hash: str,
                                      to_clock_id: str, to_clock_hash: str, source: Dict[str, Any],
                                      segment_duration_ns: int, retention_ns: int) -> Manifest: ...
def build_detection_log_manifest(app_id: str, session_id: str, detector_id: str, detector_hash: str, input_log_id: str,
                                 input_sensor_id: str, input_sensor_hash: str, clock_id: str, clock_hash: str,
                                 segment_duration_ns: int, retention_ns: int) -> Manifest: ...
def build_log_manifest(kind: str, *, source_peer_id: str, writer_peer_id: str, app_id: str, session_id: str,
                       segment_duration_ns: int, retention_ns: int, **fields: Any) -> Manifest: ...
def validate_manifest(manifest: Mapping[str, Any]) -> None: ...
