"""SHA-256-addressed blobs and the device model listing: one libauki call each
(``auki_sha256_hex``, ``auki_blob_put``, ``auki_blob_get``, ``auki_device_models_list``).

Blob bytes are borrowed for the call (``bytes``, ``bytearray``, ``memoryview``, numpy arrays), never copied
in Python; ``get_blob`` asks for the size, then reads into one buffer it returns as ``bytes``.
"""

import ctypes

from _auki import _json
from _auki._buffers import Pinned
from _auki._convert import fspath, string
from _auki._errors import BUFFER_TOO_SMALL, NOT_FOUND, check
from _auki._ffi import lib
from _auki._strings import call_string, encode

_SHA256_BUFSIZE = 65


def sha256_hex(bytes):  # noqa: A002 - upstream's parameter name
    """SHA-256 of ``bytes`` as 64 lowercase hex characters."""
    out = ctypes.create_string_buffer(_SHA256_BUFSIZE)
    with Pinned(bytes, "bytes") as data:
        check(lib.auki_sha256_hex(data.address or None, data.nbytes, out))
    return out.value.decode("ascii")


def put_blob(app_root, bytes):  # noqa: A002
    """Store ``bytes`` (at most 64 MiB) under ``<app_root>/registries/blobs``; return its SHA-256 address."""
    root = encode(fspath(app_root, "app_root"))
    out = ctypes.create_string_buffer(_SHA256_BUFSIZE)
    with Pinned(bytes, "bytes") as data:
        check(lib.auki_blob_put(root, data.address or None, data.nbytes, out))
    return out.value.decode("ascii")


def get_blob(app_root, sha256):
    """The blob's bytes, or ``None`` if none is stored; ``ValueError`` for a malformed address or bytes
    that no longer hash to it."""
    root = encode(fspath(app_root, "app_root"))
    address = encode(string(sha256, "sha256"))
    size = ctypes.c_size_t()
    status = lib.auki_blob_get(root, address, None, 0, ctypes.byref(size))
    if status == NOT_FOUND:
        return None
    if status not in (0, BUFFER_TOO_SMALL):
        check(status)
    buf = ctypes.create_string_buffer(size.value or 1)
    status = lib.auki_blob_get(root, address, buf, size.value, ctypes.byref(size))
    if status == NOT_FOUND:
        return None
    check(status)
    return buf.raw[:size.value]


def put_urdf_package(app_root, urdf_path, root_convention=None):
    """Rewrite the URDF's mesh ``filename``s to package-relative paths, store it and every mesh as blobs,
    and return ``{"device_model_id": ..., "body": {...}}`` ready for ``write_device_model``. A mesh that
    cannot be found, or a path leaving the package, is a ``ValueError`` and nothing is stored."""
    from _auki._convert import optional_string

    root = encode(fspath(app_root, "app_root"))
    path = encode(fspath(urdf_path, "urdf_path"))
    convention = optional_string(root_convention, "root_convention")
    text = call_string(lib.auki_urdf_package_put, root, path, None if convention is None else encode(convention))
    return _json.loads(text)


def list_device_models(app_root, peer_id):
    """``[{"id": device_model_id, "hash": hash}, ...]`` of every valid device model of ``peer_id``, sorted."""
    root = encode(fspath(app_root, "app_root"))
    return _json.loads(call_string(lib.auki_device_models_list, root, encode(string(peer_id, "peer_id"))))
