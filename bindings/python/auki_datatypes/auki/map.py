# Generated from proto/auki/map.proto by tools/gen_auki_datatypes.py: do not edit. Change the
# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).
# source-sha256: 16b6560889304632b5ebba78b82bf3a6850434014bf5b0bc72dab679033555b2
"""auki.map: the messages of proto/auki/map.proto."""
from __future__ import annotations

from typing import List

from .._message import Message
from .._schema import Field, DOUBLE, FLOAT, MESSAGE, SINT32, UINT32

__all__ = [
    'MapUpdate',
    'VoxelMapCheckpoint',
    'VoxelChunkSnapshot',
    'VoxelChunkUpdate',
    'VoxelSnapshot',
    'SemanticEvidence',
    'VoxelDelta',
    'SemanticDelta',
]


class MapUpdate(Message):
    """One Map Log entry: additive voxel deltas, or a checkpoint that replaces all prior state.

    Protobuf message auki.map.MapUpdate."""

    __slots__ = ('voxel_chunks', 'checkpoint')
    voxel_chunks: List[VoxelChunkUpdate]  # Must be empty when checkpoint is set.
    checkpoint: VoxelMapCheckpoint


class VoxelMapCheckpoint(Message):
    """Protobuf message auki.map.VoxelMapCheckpoint."""

    __slots__ = ('voxel_chunks',)
    voxel_chunks: List[VoxelChunkSnapshot]


class VoxelChunkSnapshot(Message):
    """Protobuf message auki.map.VoxelChunkSnapshot."""

    __slots__ = ('chunk_x', 'chunk_y', 'chunk_z', 'voxels')
    chunk_x: int
    chunk_y: int
    chunk_z: int
    voxels: List[VoxelSnapshot]


class VoxelChunkUpdate(Message):
    """Protobuf message auki.map.VoxelChunkUpdate."""

    __slots__ = ('chunk_x', 'chunk_y', 'chunk_z', 'voxels')
    chunk_x: int
    chunk_y: int
    chunk_z: int
    voxels: List[VoxelDelta]


class VoxelSnapshot(Message):
    """Protobuf message auki.map.VoxelSnapshot."""

    __slots__ = ('x', 'y', 'z', 'occupancy_evidence', 'semantics')
    x: int
    y: int
    z: int
    occupancy_evidence: float
    semantics: List[SemanticEvidence]


class SemanticEvidence(Message):
    """Protobuf message auki.map.SemanticEvidence."""

    __slots__ = ('class_id', 'evidence')
    class_id: int
    evidence: float


class VoxelDelta(Message):
    """Protobuf message auki.map.VoxelDelta."""

    __slots__ = ('x', 'y', 'z', 'occupancy_delta', 'semantics')
    x: int
    y: int
    z: int
    occupancy_delta: float  # Positive = surface, negative = free; never clamped.
    semantics: List[SemanticDelta]


class SemanticDelta(Message):
    """Protobuf message auki.map.SemanticDelta."""

    __slots__ = ('class_id', 'evidence_delta')
    class_id: int
    evidence_delta: float


MapUpdate._define_('auki.map.MapUpdate', (
    Field('voxel_chunks', 1, MESSAGE, repeated=True, message=VoxelChunkUpdate),
    Field('checkpoint', 2, MESSAGE, message=VoxelMapCheckpoint),
))
VoxelMapCheckpoint._define_('auki.map.VoxelMapCheckpoint', (
    Field('voxel_chunks', 1, MESSAGE, repeated=True, message=VoxelChunkSnapshot),
))
VoxelChunkSnapshot._define_('auki.map.VoxelChunkSnapshot', (
    Field('chunk_x', 1, SINT32),
    Field('chunk_y', 2, SINT32),
    Field('chunk_z', 3, SINT32),
    Field('voxels', 4, MESSAGE, repeated=True, message=VoxelSnapshot),
))
VoxelChunkUpdate._define_('auki.map.VoxelChunkUpdate', (
    Field('chunk_x', 1, SINT32),
    Field('chunk_y', 2, SINT32),
    Field('chunk_z', 3, SINT32),
    Field('voxels', 4, MESSAGE, repeated=True, message=VoxelDelta),
))
VoxelSnapshot._define_('auki.map.VoxelSnapshot', (
    Field('x', 1, UINT32),
    Field('y', 2, UINT32),
    Field('z', 3, UINT32),
    Field('occupancy_evidence', 4, DOUBLE),
    Field('semantics', 5, MESSAGE, repeated=True, message=SemanticEvidence),
))
SemanticEvidence._define_('auki.map.SemanticEvidence', (
    Field('class_id', 1, UINT32),
    Field('evidence', 2, DOUBLE),
))
VoxelDelta._define_('auki.map.VoxelDelta', (
    Field('x', 1, UINT32),
    Field('y', 2, UINT32),
    Field('z', 3, UINT32),
    Field('occupancy_delta', 4, FLOAT),
    Field('semantics', 5, MESSAGE, repeated=True, message=SemanticDelta),
))
SemanticDelta._define_('auki.map.SemanticDelta', (
    Field('class_id', 1, UINT32),
    Field('evidence_delta', 2, FLOAT),
))
