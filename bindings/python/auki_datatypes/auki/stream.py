# Generated from proto/auki/stream.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: e32132b328a977af687946cb591cb874dd900bf019dd64e0f7457a43a3d3b0c7
"""auki.stream: the messages of proto/auki/stream.proto."""
from __future__ import annotations

from .._message import Message
from .._schema import Field, BYTES, INT64, MESSAGE, STRING, UINT32, UINT64

__all__ = [
    'ReadFromLatest',
    'ReadFromStart',
    'ReadFromTimestamp',
    'StreamRequest',
    'StreamManifest',
    'DeclineReason',
    'DeclineReasonSensorNotFound',
    'DeclineReasonSensorUnavailable',
    'DeclineReasonProducerShuttingDown',
    'DeclineReasonOther',
    'EndReason',
    'EndReasonSourceEnded',
    'EndReasonProducerShuttingDown',
    'EndReasonSessionEnded',
    'EndReasonProducerError',
    'StreamEntry',
    'StreamMessage',
]


class ReadFromLatest(Message):
    """Protobuf message auki.stream.ReadFromLatest."""

    __slots__ = ()


class ReadFromStart(Message):
    """Protobuf message auki.stream.ReadFromStart."""

    __slots__ = ()


class ReadFromTimestamp(Message):
    """Protobuf message auki.stream.ReadFromTimestamp."""

    __slots__ = ('timestamp_ns',)
    timestamp_ns: int  # First entry at or after this timestamp on the log's clock.


class StreamRequest(Message):
    """Protobuf message auki.stream.StreamRequest."""

    __slots__ = ('sensor_id', 'resource_id', 'source_peer_id', 'latest', 'from_start', 'from_timestamp')
    sensor_id: str  # Legacy (0.1.0 had only this field).
    resource_id: str
    source_peer_id: str  # Original writer; empty means the dialled peer.
    latest: ReadFromLatest
    from_start: ReadFromStart
    from_timestamp: ReadFromTimestamp


class StreamManifest(Message):
    """Protobuf message auki.stream.StreamManifest."""

    __slots__ = ('sensor_id', 'sensor_hash', 'clock_id', 'clock_hash', 'frame_id', 'frame_hash', 'resource_id', 'payload', 'from_frame_id', 'from_frame_hash', 'to_frame_id', 'to_frame_hash', 'writer_mode', 'expected_rate_hz', 'map_peer_id', 'map_id', 'map_hash', 'clock_peer_id')
    sensor_id: str
    sensor_hash: str
    clock_id: str
    clock_hash: str
    frame_id: str
    frame_hash: str
    resource_id: str
    payload: str  # Payload kind, e.g. "spatial_transform".
    from_frame_id: str
    from_frame_hash: str
    to_frame_id: str
    to_frame_hash: str
    writer_mode: str  # "rigid" or "movable".
    expected_rate_hz: int
    map_peer_id: str
    map_id: str
    map_hash: str
    clock_peer_id: str


class DeclineReason(Message):
    """Protobuf message auki.stream.DeclineReason."""

    __slots__ = ('sensor_not_found', 'sensor_unavailable', 'producer_shutting_down', 'other')
    sensor_not_found: DeclineReasonSensorNotFound
    sensor_unavailable: DeclineReasonSensorUnavailable
    producer_shutting_down: DeclineReasonProducerShuttingDown
    other: DeclineReasonOther


class DeclineReasonSensorNotFound(Message):
    """Protobuf message auki.stream.DeclineReason.SensorNotFound."""

    __slots__ = ()


class DeclineReasonSensorUnavailable(Message):
    """Protobuf message auki.stream.DeclineReason.SensorUnavailable."""

    __slots__ = ()


class DeclineReasonProducerShuttingDown(Message):
    """Protobuf message auki.stream.DeclineReason.ProducerShuttingDown."""

    __slots__ = ()


class DeclineReasonOther(Message):
    """Protobuf message auki.stream.DeclineReason.Other."""

    __slots__ = ('detail',)
    detail: str


class EndReason(Message):
    """Protobuf message auki.stream.EndReason."""

    __slots__ = ('source_ended', 'producer_shutting_down', 'session_ended', 'producer_error')
    source_ended: EndReasonSourceEnded
    producer_shutting_down: EndReasonProducerShuttingDown
    session_ended: EndReasonSessionEnded
    producer_error: EndReasonProducerError


class EndReasonSourceEnded(Message):
    """Protobuf message auki.stream.EndReason.SourceEnded."""

    __slots__ = ()


class EndReasonProducerShuttingDown(Message):
    """Protobuf message auki.stream.EndReason.ProducerShuttingDown."""

    __slots__ = ()


class EndReasonSessionEnded(Message):
    """Protobuf message auki.stream.EndReason.SessionEnded."""

    __slots__ = ()


class EndReasonProducerError(Message):
    """Protobuf message auki.stream.EndReason.ProducerError."""

    __slots__ = ('detail',)
    detail: str


class StreamEntry(Message):
    """Protobuf message auki.stream.StreamEntry."""

    __slots__ = ('timestamp_ns', 'seq', 'payload')
    timestamp_ns: int
    seq: int
    payload: bytes  # Bytes of the stream's one payload type (the same bytes as the log entry).


class StreamMessage(Message):
    """Protobuf message auki.stream.StreamMessage."""

    __slots__ = ('request', 'accept', 'decline', 'entry', 'end_of_stream')
    request: StreamRequest
    accept: StreamManifest
    decline: DeclineReason
    entry: StreamEntry
    end_of_stream: EndReason


ReadFromLatest._define_('auki.stream.ReadFromLatest', ())
ReadFromStart._define_('auki.stream.ReadFromStart', ())
ReadFromTimestamp._define_('auki.stream.ReadFromTimestamp', (
    Field('timestamp_ns', 1, INT64),
))
StreamRequest._define_('auki.stream.StreamRequest', (
    Field('sensor_id', 1, STRING),
    Field('resource_id', 2, STRING),
    Field('source_peer_id', 3, STRING),
    Field('latest', 4, MESSAGE, message=ReadFromLatest, oneof='read_from'),
    Field('from_start', 5, MESSAGE, message=ReadFromStart, oneof='read_from'),
    Field('from_timestamp', 6, MESSAGE, message=ReadFromTimestamp, oneof='read_from'),
))
StreamManifest._define_('auki.stream.StreamManifest', (
    Field('sensor_id', 1, STRING),
    Field('sensor_hash', 2, STRING),
    Field('clock_id', 3, STRING),
    Field('clock_hash', 4, STRING),
    Field('frame_id', 5, STRING),
    Field('frame_hash', 6, STRING),
    Field('resource_id', 7, STRING),
    Field('payload', 8, STRING),
    Field('from_frame_id', 9, STRING),
    Field('from_frame_hash', 10, STRING),
    Field('to_frame_id', 11, STRING),
    Field('to_frame_hash', 12, STRING),
    Field('writer_mode', 13, STRING),
    Field('expected_rate_hz', 14, UINT32),
    Field('map_peer_id', 15, STRING),
    Field('map_id', 16, STRING),
    Field('map_hash', 17, STRING),
    Field('clock_peer_id', 18, STRING),
))
DeclineReason._define_('auki.stream.DeclineReason', (
    Field('sensor_not_found', 1, MESSAGE, message=DeclineReasonSensorNotFound, oneof='kind'),
    Field('sensor_unavailable', 2, MESSAGE, message=DeclineReasonSensorUnavailable, oneof='kind'),
    Field('producer_shutting_down', 3, MESSAGE, message=DeclineReasonProducerShuttingDown, oneof='kind'),
    Field('other', 4, MESSAGE, message=DeclineReasonOther, oneof='kind'),
))
DeclineReasonSensorNotFound._define_('auki.stream.DeclineReason.SensorNotFound', ())
DeclineReasonSensorUnavailable._define_('auki.stream.DeclineReason.SensorUnavailable', ())
DeclineReasonProducerShuttingDown._define_('auki.stream.DeclineReason.ProducerShuttingDown', ())
DeclineReasonOther._define_('auki.stream.DeclineReason.Other', (
    Field('detail', 1, STRING),
))
EndReason._define_('auki.stream.EndReason', (
    Field('source_ended', 1, MESSAGE, message=EndReasonSourceEnded, oneof='kind'),
    Field('producer_shutting_down', 2, MESSAGE, message=EndReasonProducerShuttingDown, oneof='kind'),
    Field('session_ended', 3, MESSAGE, message=EndReasonSessionEnded, oneof='kind'),
    Field('producer_error', 4, MESSAGE, message=EndReasonProducerError, oneof='kind'),
))
EndReasonSourceEnded._define_('auki.stream.EndReason.SourceEnded', ())
EndReasonProducerShuttingDown._define_('auki.stream.EndReason.ProducerShuttingDown', ())
EndReasonSessionEnded._define_('auki.stream.EndReason.SessionEnded', ())
EndReasonProducerError._define_('auki.stream.EndReason.ProducerError', (
    Field('detail', 1, STRING),
))
StreamEntry._define_('auki.stream.StreamEntry', (
    Field('timestamp_ns', 1, INT64),
    Field('seq', 2, UINT64),
    Field('payload', 3, BYTES),
))
StreamMessage._define_('auki.stream.StreamMessage', (
    Field('request', 1, MESSAGE, message=StreamRequest, oneof='variant'),
    Field('accept', 2, MESSAGE, message=StreamManifest, oneof='variant'),
    Field('decline', 3, MESSAGE, message=DeclineReason, oneof='variant'),
    Field('entry', 4, MESSAGE, message=StreamEntry, oneof='variant'),
    Field('end_of_stream', 5, MESSAGE, message=EndReason, oneof='variant'),
))
