# Generated from proto/auki/time_transform.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: a8518f97535ea37a8dbfec3129109daab7f75011419fe0e1e418c679ed94b65e
"""auki.time_transform: the messages of proto/auki/time_transform.proto."""
from __future__ import annotations

from .._message import Message
from .._schema import Field, INT64, UINT32

__all__ = [
    'TimeTransformEntry',
]


class TimeTransformEntry(Message):
    """One TimeTransform Log entry; the entry's timestamp_ns is the from-clock reading.

    Protobuf message auki.time_transform.TimeTransformEntry."""

    __slots__ = ('offset_ns', 'uncertainty_ns')
    offset_ns: int  # to_clock - from_clock at the sample instant.
    uncertainty_ns: int  # Read window in from-clock nanoseconds.


TimeTransformEntry._define_('auki.time_transform.TimeTransformEntry', (
    Field('offset_ns', 1, INT64),
    Field('uncertainty_ns', 2, UINT32),
))
