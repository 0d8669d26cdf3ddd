# Generated from proto/auki/map.proto by tools/gen_auki_datatypes.py: do not edit.
from typing import Any, List

from ._message import Message as _Message

__all__: List[str]

class MapUpdate(_Message):
    voxel_chunks: List[VoxelChunkUpdate]
    checkpoint: VoxelMapCheckpoint
    def __init__(self, voxel_chunks: List[VoxelChunkUpdate] = ..., checkpoint: VoxelMapCheckpoint = ...) -> None: ...

class VoxelMapCheckpoint(_Message):
    voxel_chunks: List[VoxelChunkSnapshot]
    def __init__(self, voxel_chunks: List[VoxelChunkSnapshot] = ...) -> None: ...

class VoxelChunkSnapshot(_Message):
    chunk_x: int
    chunk_y: int
    chunk_z: int
    voxels: List[VoxelSnapshot]
    def __init__(self, chunk_x: int = ..., chunk_y: int = ..., chunk_z: int = ..., voxels: List[VoxelSnapshot] = ...) -> None: ...

class VoxelChunkUpdate(_Message):
    chunk_x: int
    chunk_y: int
    chunk_z: int
    voxels: List[VoxelDelta]
    def __init__(self, chunk_x: int = ..., chunk_y: int = ..., chunk_z: int = ..., voxels: List[VoxelDelta] = ...) -> None: ...

class VoxelSnapshot(_Message):
    x: int
    y: int
    z: int
    occupancy_evidence: float
    semantics: List[SemanticEvidence]
    def __init__(self, x: int = ..., y: int = ..., z: int = ..., occupancy_evidence: float = ..., semantics: List[SemanticEvidence] = ...) -> None: ...

class SemanticEvidence(_Message):
    class_id: int
    evidence: float
    def __init__(self, class_id: int = ..., evidence: float = ...) -> None: ...

class VoxelDelta(_Message):
    x: int
    y: int
    z: int
    occupancy_delta: float
    semantics: List[SemanticDelta]
    def __init__(self, x: int = ..., y: int = ..., z: int = ..., occupancy_delta: float = ..., semantics: List[SemanticDelta] = ...) -> None: ...

class SemanticDelta(_Message):
    class_id: int
    evidence_delta: float
    def __init__(self, class_id: int = ..., evidence_delta: float = ...) -> None: ...
