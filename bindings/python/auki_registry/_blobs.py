"""SHA-256-addressed blobs, URDF packages and the device model listing: one libauki call each
(``auki_sha256_hex``, ``auki_blob_put``, ``auki_blob_get``, ``auki_urdf_package_put_with_package_root``,
``auki_device_models_list``).

Blob bytes are borrowed for the call (``bytes``, ``bytearray``, ``memoryview``, numpy arrays), never copied
in Python; ``get_blob`` asks for the size, then reads into one buffer it returns as ``bytes``.
"""

import ctypes

from _auki import _json
from _auki._buffers import Pinned
from _auki._convert import fspath, optional_string, string
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
    """Store ``bytes`` (at most 64 MiB) as ``<app_root>/blobs/<sha256>``; return that SHA-256 address.
    A stored copy whose bytes no longer match its address is a ``ValueError``, never overwritten."""
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


def put_urdf_package(app_root, urdf_path, root_convention=None, package_root=None):
    """Rewrite the URDF's mesh ``filename``s to package-relative paths, store it and every mesh as blobs,
    and return ``{"device_model_id": ..., "body": {...}}`` ready for ``write_device_model``. Meshes are
    looked up under ``package_root`` (default: the URDF's directory) only: a mesh that is not there, a
    path with ``..`` or one unsafe in XML is a ``ValueError`` and nothing is stored."""
    root = encode(fspath(app_root, "app_root"))
    path = encode(fspath(urdf_path, "urdf_path"))
    convention = optional_string(root_convention, "root_convention")
    package = None if package_root is None else encode(fspath(package_root, "package_root"))
    text = call_string(lib.auki_urdf_package_put_with_package_root, root, path,
                       None if convention is None else encode(convention), package)
    return _in_upstreams_key_order(_json.loads(text))


# Upstream's dicts come from serde, in field order; libauki's JSON is canonical (sorted). Same content,
# reordered so printing one shows what upstream shows.
_BODY_KEYS = ("model_id", "type", "urdf_sha256", "meshes", "root_convention")


def _in_upstreams_key_order(package):
    body = package["body"]
    body = {key: body[key] for key in _BODY_KEYS if key in body}
    body["meshes"] = [{"path": m["path"], "sha256": m["sha256"]} for m in body["meshes"]]
    return {"device_model_id": package["device_model_id"], "body": body}


def list_device_models(app_root, peer_id):
    """``[{"id": device_model_id, "hash": hash}, ...]``: one row per device model id of ``peer_id``, sorted —
    the hash its ``TIP`` file names (the last one written), else its newest valid entry."""
    root = encode(fspath(app_root, "app_root"))
    rows = _json.loads(call_string(lib.auki_device_models_list, root, encode(string(peer_id, "peer_id"))))
    return [{"id": row["id"], "hash": row["hash"]} for row in rows]
