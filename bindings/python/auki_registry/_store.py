"""Ids, canonical JSON, hashes, and content-addressed files, one function set per registry kind.

Each operation is one libauki call: ``auki_registry_validate_id``, ``auki_registry_entry_canonical``
(parse + normalize + RFC 8785 + XXH3-128), ``auki_registry_write`` (validate, then atomic,
idempotent write under ``<app_root>/registries``) and ``auki_registry_read``.
"""

import ctypes

from _auki import _json
from _auki._convert import fspath, string
from _auki._errors import NOT_FOUND, check, check_warned, last_error_message
from _auki._ffi import HASH_BUFSIZE, lib
from _auki._strings import call_hash, encode, take

_KIND = {"sensor": b"sensor", "clock": b"clock", "frame": b"frame", "detector": b"detector", "map": b"map",
         "device_model": b"device_model"}


def validate_id(prefix, value):
    """``ValueError("<prefix>: <upstream message>")`` unless ``value`` is a valid registry id."""
    value = string(value, "id")
    if lib.auki_registry_validate_id(encode(value)):
        raise ValueError(f"{prefix}: {last_error_message()}")


def canonical(kind, entry):
    """``(canonical_json, hash)`` of a whole entry dict of ``kind``."""
    out = ctypes.c_void_p()
    buf = ctypes.create_string_buffer(HASH_BUFSIZE)
    status = lib.auki_registry_entry_canonical(_KIND[kind], encode(_json.dumps(entry)), ctypes.byref(out), buf)
    if status:
        take(out)
    check_warned(status)
    return take(out), buf.value.decode("ascii")


def frame_body(frame_def):
    """The validated frame body dict of a preset name or a custom JSON convention (bytes)."""
    out = ctypes.c_void_p()
    status = lib.auki_frame_def_body(frame_def, ctypes.byref(out))
    if status:
        take(out)
        check(status)
    return _json.loads(take(out))


def normalized(kind, entry):
    """The entry as upstream serializes it (a fresh dict parsed from its canonical JSON)."""
    return _json.loads(canonical(kind, entry)[0])


def write(kind, app_root, entry):
    """Validate and write ``entry`` under ``<app_root>/registries``; return its hash."""
    root = fspath(app_root, "app_root")
    return call_hash(lib.auki_registry_write, encode(root), _KIND[kind], encode(_json.dumps(entry)))


def read(kind, app_root, peer_id, id, hash):  # noqa: A002
    """The stored entry as a dict, or ``None`` if there is no such file."""
    root = fspath(app_root, "app_root")
    args = (encode(root), _KIND[kind], encode(string(peer_id, "peer_id")), encode(string(id, "id")),
            encode(string(hash, "hash")))
    out = ctypes.c_void_p()
    status = lib.auki_registry_read(*args, ctypes.byref(out))
    if status:
        take(out)
        if status == NOT_FOUND:
            return None
        check(status)
    return _json.loads(take(out))
