"""auki_registry — registry entries, refs, ids and content-addressed storage (AukiNative).

A drop-in replacement for the Python module of the auki-sdk's ``auki-registry`` crate, backed by
``libauki.so``. Entries are plain dicts in upstream's JSON shape; their canonical JSON (RFC 8785)
and hash (XXH3-128, 32 hex chars) are byte-identical to upstream.

- Refs: :class:`RegistryRef`, :class:`LogRef` (also ``auki_session.RegistryRef`` / ``LogRef``).
- Entries: ``frame_ros_body/ros_optical/opengl/unity(peer_id, frame_id)``, ``frame_entry(...)``,
  ``camera/rangefinder/audio/joint_encoders/rf/scalar_sensor_entry(...)``, ``point_field(...)``,
  ``monotonic_clock_entry(...)``, ``utc_clock_entry(...)``; detector entries are dicts
  ``{"peer_id", "detector_id", "type", ..., "output_types", "input_types"?}``.
- Ids: ``validate_{sensor,clock,frame,detector}_id(id)`` → ``ValueError("sensor_id: ...")``.
- Content: ``hash_*(entry)``, ``canonical_json_*(entry)``, ``write_*(app_root, entry) -> hash``,
  ``read_*(app_root, peer_id, id, hash) -> dict | None`` for frame, sensor, clock and detector.

Errors: invalid input or registry rules → ``ValueError``; operating-system I/O → ``OSError``.

Newest surface: maps (``voxel_map_entry``, ``validate_map_id``, ``hash_map``, ``canonical_json_map``,
``write_map``, ``read_map``), device models (``write_device_model``: every blob it names must be
stored, and the id directory's ``TIP`` then names the entry; ``list_device_models``: one row per id)
and SHA-256-addressed blobs (``put_blob``, ``get_blob``, ``sha256_hex``; at most 64 MiB each, stored
as ``<app_root>/blobs/<sha256>``).

URDF packages: ``put_urdf_package(app_root, urdf_path, root_convention=None, package_root=None)``
rewrites mesh paths and stores the URDF and its meshes as blobs (nothing is stored if a mesh is missing).
"""

from ._entries import (
    audio_sensor_entry,
    camera_sensor_entry,
    frame_entry,
    frame_opengl,
    frame_ros_body,
    frame_ros_optical,
    frame_unity,
    joint_encoders_sensor_entry,
    monotonic_clock_entry,
    point_field,
    rangefinder_sensor_entry,
    rf_sensor_entry,
    scalar_sensor_entry,
    utc_clock_entry,
    voxel_map_entry,
)
from ._blobs import get_blob, list_device_models, put_blob, put_urdf_package, sha256_hex
from _auki._refs import LogRef, RegistryRef
from ._store import canonical as _canonical
from ._store import read as _read
from ._store import validate_id as _validate_id
from ._store import write as _write

__version__ = "0.1.0"


# ---- ids -----------------------------------------------------------------------------------------

def validate_sensor_id(id):  # noqa: A002 - upstream's parameter name
    """Raise ``ValueError("sensor_id: ...")`` unless ``id`` is a valid registry id."""
    _validate_id("sensor_id", id)


def validate_clock_id(id):  # noqa: A002
    """Raise ``ValueError("clock_id: ...")`` unless ``id`` is a valid registry id."""
    _validate_id("clock_id", id)


def validate_frame_id(id):  # noqa: A002
    """Raise ``ValueError("frame_id: ...")`` unless ``id`` is a valid registry id."""
    _validate_id("frame_id", id)


def validate_detector_id(id):  # noqa: A002
    """Raise ``ValueError("detector_id: ...")`` unless ``id`` is a valid registry id."""
    _validate_id("detector_id", id)


def validate_map_id(id):  # noqa: A002
    """Raise ``ValueError("map_id: ...")`` unless ``id`` is a valid registry id."""
    _validate_id("map_id", id)


# ---- hashes and canonical JSON -------------------------------------------------------------------

def hash_frame(entry):
    """XXH3-128 (32 hex chars) of a frame entry's canonical JSON."""
    return _canonical("frame", entry)[1]


def hash_sensor(entry):
    """XXH3-128 (32 hex chars) of a sensor entry's canonical JSON."""
    return _canonical("sensor", entry)[1]


def hash_clock(entry):
    """XXH3-128 (32 hex chars) of a clock entry's canonical JSON."""
    return _canonical("clock", entry)[1]


def hash_detector(entry):
    """XXH3-128 (32 hex chars) of a detector entry's canonical JSON."""
    return _canonical("detector", entry)[1]


def hash_map(entry):
    """XXH3-128 of a map entry's canonical JSON (the entry is validated first: ``invalid map: ...``)."""
    return _canonical("map", entry)[1]


def canonical_json_frame(entry):
    """The RFC 8785 canonical JSON text of a frame entry (what is hashed and stored)."""
    return _canonical("frame", entry)[0]


def canonical_json_sensor(entry):
    """The RFC 8785 canonical JSON text of a sensor entry."""
    return _canonical("sensor", entry)[0]


def canonical_json_clock(entry):
    """The RFC 8785 canonical JSON text of a clock entry."""
    return _canonical("clock", entry)[0]


def canonical_json_detector(entry):
    """The RFC 8785 canonical JSON text of a detector entry."""
    return _canonical("detector", entry)[0]


def canonical_json_map(entry):
    """The RFC 8785 canonical JSON text of a (validated) map entry."""
    return _canonical("map", entry)[0]


# ---- storage ---------------------------------------------------------------------------------------

def write_frame(app_root, entry):
    """Write a frame entry under ``<app_root>/registries/frames/...`` (idempotent); return its hash."""
    return _write("frame", app_root, entry)


def write_sensor(app_root, entry):
    """Write a sensor entry; its frame must already be stored under ``app_root``. Return its hash."""
    return _write("sensor", app_root, entry)


def write_clock(app_root, entry):
    """Write a clock entry (idempotent); return its hash."""
    return _write("clock", app_root, entry)


def write_detector(app_root, entry):
    """Write a detector entry (idempotent); return its hash."""
    return _write("detector", app_root, entry)


def write_map(app_root, entry):
    """Validate and write a map entry under ``<app_root>/registries/maps/...`` (idempotent); return its hash."""
    return _write("map", app_root, entry)


def write_device_model(app_root, entry):
    """Validate (``invalid device model: ...``) and write a device model entry whose blobs are stored;
    point its id's ``TIP`` at it; return its hash."""
    return _write("device_model", app_root, entry)


def read_frame(app_root, peer_id, frame_id, hash):  # noqa: A002 - upstream's names
    """The stored frame entry, or ``None`` if it does not exist."""
    return _read("frame", app_root, peer_id, frame_id, hash)


def read_sensor(app_root, peer_id, sensor_id, hash):  # noqa: A002
    """The stored sensor entry, or ``None`` if it does not exist."""
    return _read("sensor", app_root, peer_id, sensor_id, hash)


def read_clock(app_root, peer_id, clock_id, hash):  # noqa: A002
    """The stored clock entry, or ``None`` if it does not exist."""
    return _read("clock", app_root, peer_id, clock_id, hash)


def read_detector(app_root, peer_id, detector_id, hash):  # noqa: A002
    """The stored detector entry, or ``None`` if it does not exist."""
    return _read("detector", app_root, peer_id, detector_id, hash)


def read_map(app_root, peer_id, map_id, hash):  # noqa: A002
    """The stored map entry (validated), or ``None`` if it does not exist."""
    return _read("map", app_root, peer_id, map_id, hash)


__all__ = [
    "RegistryRef", "LogRef",
    "frame_ros_body", "frame_ros_optical", "frame_opengl", "frame_unity", "frame_entry",
    "camera_sensor_entry", "rangefinder_sensor_entry", "point_field", "audio_sensor_entry",
    "joint_encoders_sensor_entry", "rf_sensor_entry", "scalar_sensor_entry",
    "monotonic_clock_entry", "utc_clock_entry", "voxel_map_entry",
    "validate_sensor_id", "validate_clock_id", "validate_frame_id", "validate_detector_id", "validate_map_id",
    "hash_frame", "hash_sensor", "hash_clock", "hash_detector", "hash_map",
    "canonical_json_frame", "canonical_json_sensor", "canonical_json_clock", "canonical_json_detector",
    "canonical_json_map",
    "write_frame", "write_sensor", "write_clock", "write_detector", "write_map", "write_device_model",
    "read_frame", "read_sensor", "read_clock", "read_detector", "read_map",
    "put_blob", "get_blob", "sha256_hex", "list_device_models", "put_urdf_package",
]
