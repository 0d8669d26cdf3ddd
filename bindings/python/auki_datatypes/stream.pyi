# Generated from proto/auki/stream.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class ReadFromLatest(_Message):
    def __init__(self) -> None: ...

class ReadFromStart(_Message):
    def __init__(self) -> None: ...

class ReadFromTimestamp(_Message):
    timestamp_ns: int
    def __init__(self, timestamp_ns: int = ...) -> None: ...

class StreamRequest(_Message):
    sensor_id: str
    resource_id: str
    source_peer_id: str
    latest: ReadFromLatest
    from_start: ReadFromStart
    from_timestamp: ReadFromTimestamp
    def __init__(self, sensor_id: str = ..., resource_id: str = ..., source_peer_id: str = ..., latest: ReadFromLatest = ..., from_start: ReadFromStart = ..., from_timestamp: ReadFromTimestamp = ...) -> None: ...

class StreamManifest(_Message):
    sensor_id: str
    sensor_hash: str
    clock_id: str
    clock_hash: str
    frame_id: str
    frame_hash: str
    resource_id: str
    payload: str
    from_frame_id: str
    from_frame_hash: str
    to_frame_id: str
    to_frame_hash: str
    writer_mode: str
    expected_rate_hz: int
    map_peer_id: str
    map_id: str
    map_hash: str
    clock_peer_id: str
    def __init__(self, sensor_id: str = ..., sensor_hash: str = ..., clock_id: str = ..., clock_hash: str = ..., frame_id: str = ..., frame_hash: str = ..., resource_id: str = ..., payload: str = ..., from_frame_id: str = ..., from_frame_hash: str = ..., to_frame_id: str = ..., to_frame_hash: str = ..., writer_mode: str = ..., expected_rate_hz: int = ..., map_peer_id: str = ..., map_id: str = ..., map_hash: str = ..., clock_peer_id: str = ...) -> None: ...

class DeclineReason(_Message):
    sensor_not_found: DeclineReasonSensorNotFound
    sensor_unavailable: DeclineReasonSensorUnavailable
    producer_shutting_down: DeclineReasonProducerShuttingDown
    other: DeclineReasonOther
    def __init__(self, sensor_not_found: DeclineReasonSensorNotFound = ..., sensor_unavailable: DeclineReasonSensorUnavailable = ..., producer_shutting_down: DeclineReasonProducerShuttingDown = ..., other: DeclineReasonOther = ...) -> None: ...

class DeclineReasonSensorNotFound(_Message):
    def __init__(self) -> None: ...

class DeclineReasonSensorUnavailable(_Message):
    def __init__(self) -> None: ...

class DeclineReasonProducerShuttingDown(_Message):
    def __init__(self) -> None: ...

class DeclineReasonOther(_Message):
    detail: str
    def __init__(self, detail: str = ...) -> None: ...

class EndReason(_Message):
    source_ended: EndReasonSourceEnded
    producer_shutting_down: EndReasonProducerShuttingDown
    session_ended: EndReasonSessionEnded
    producer_error: EndReasonProducerError
    def __init__(self, source_ended: EndReasonSourceEnded = ..., producer_shutting_down: EndReasonProducerShuttingDown = ..., session_ended: EndReasonSessionEnded = ..., producer_error: EndReasonProducerError = ...) -> None: ...

class EndReasonSourceEnded(_Message):
    def __init__(self) -> None: ...

class EndReasonProducerShuttingDown(_Message):
    def __init__(self) -> None: ...

class EndReasonSessionEnded(_Message):
    def __init__(self) -> None: ...

class EndReasonProducerError(_Message):
    detail: str
    def __init__(self, detail: str = ...) -> None: ...

class StreamEntry(_Message):
    timestamp_ns: int
    seq: int
    payload: bytes
    def __init__(self, timestamp_ns: int = ..., seq: int = ..., payload: bytes = ...) -> None: ...

class StreamMessage(_Message):
    request: StreamRequest
    accept: StreamManifest
    decline: DeclineReason
    entry: StreamEntry
    end_of_stream: EndReason
    def __init__(self, request: StreamRequest = ..., accept: StreamManifest = ..., decline: DeclineReason = ..., entry: StreamEntry = ..., end_of_stream: EndReason = ...) -> None: ...
