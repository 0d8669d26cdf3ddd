"""Find and load ``libauki.so`` and declare its C ABI (``native/include/auki.h``).

The library is looked up, in order:

1. the file named by the environment variable ``AUKI_LIBRARY`` (if set, it must exist);
2. ``libauki.so`` next to this module (the file an installed wheel ships);
3. ``<repo>/build/native/libauki.so`` when running from a source checkout.

On load, ``auki_abi_version()`` is compared with the ABI major this module was written for;
a mismatch raises ``ImportError`` instead of letting a wrong signature crash the process.
"""

import ctypes
import os
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_uint32, c_uint64, c_void_p

#: The C ABI major version (``AUKI_ABI_VERSION_MAJOR``) these declarations were written for.
ABI_VERSION_MAJOR = 1
#: The minor version of the header these declarations were copied from.
ABI_VERSION_MINOR = 1
#: ``AUKI_HASH_BUFSIZE``: 32 hex chars + NUL.
HASH_BUFSIZE = 33
#: ``AUKI_ULID_BUFSIZE``: 26 chars + NUL.
ULID_BUFSIZE = 27

_LIBRARY_NAME = "libauki.so"


def _candidates():
    """Paths to try, in order, with the reason each one is tried."""
    env = os.environ.get("AUKI_LIBRARY")
    if env:
        # An explicit choice is never second-guessed: if it is wrong, say so.
        return [(env, "AUKI_LIBRARY")]
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    return [
        (os.path.join(here, _LIBRARY_NAME), "bundled with the package"),
        (os.path.join(repo, "build", "native", _LIBRARY_NAME), "source checkout build"),
    ]


def _load():
    tried = []
    for path, why in _candidates():
        if not os.path.isfile(path):
            tried.append(f"{path} ({why}: no such file)")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append(f"{path} ({why}: {e})")
    raise ImportError(
        "AukiNative could not load libauki.so; tried:\n  "
        + "\n  ".join(tried)
        + "\nBuild it with `dotnet publish native/Auki.Native.csproj -c Release -r linux-x64 -o build/native`"
        " or set AUKI_LIBRARY to its path."
    )


lib, library_path = _load()

_P = POINTER(c_void_p)  # char **out and handle **out

# (name, restype, argtypes) for every function of auki.h, in header order.
_SIGNATURES = (
    # Versions
    ("auki_abi_version", c_uint32, ()),
    ("auki_version", c_char_p, ()),
    # Status codes and errors
    ("auki_last_error_message", c_char_p, ()),
    ("auki_last_error_code", c_int, ()),
    ("auki_string_free", None, (c_void_p,)),
    # Utilities
    ("auki_hash_bytes", c_int, (c_char_p, c_size_t, c_char_p)),
    ("auki_canonical_json", c_int, (c_char_p, _P)),
    ("auki_ulid_new", c_int, (c_char_p,)),
    # Registries
    ("auki_registry_validate_id", c_int, (c_char_p,)),
    ("auki_frame_def_body", c_int, (c_char_p, _P)),
    ("auki_registry_entry_canonical", c_int, (c_char_p, c_char_p, _P, c_char_p)),
    ("auki_registry_write", c_int, (c_char_p, c_char_p, c_char_p, c_char_p)),
    ("auki_registry_read", c_int, (c_char_p, c_char_p, c_char_p, c_char_p, c_char_p, _P)),
    # Peers
    ("auki_peer_new", c_int, (_P, c_char_p, c_char_p)),
    ("auki_peer_free", None, (c_void_p,)),
    ("auki_peer_set_storage_root", c_int, (c_void_p, c_char_p)),
    ("auki_peer_id", c_int, (c_void_p, _P)),
    ("auki_peer_app_id", c_int, (c_void_p, _P)),
    ("auki_peer_storage_root", c_int, (c_void_p, _P)),
    ("auki_peer_register_frame", c_int, (c_void_p, c_char_p, c_char_p, c_char_p)),
    ("auki_peer_register_sensor", c_int, (c_void_p, c_char_p, c_char_p, c_char_p)),
    ("auki_peer_register_detector", c_int, (c_void_p, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p)),
    ("auki_peer_start_session", c_int, (c_void_p, _P)),
    # Sessions
    ("auki_session_new_standalone", c_int, (_P, c_char_p, c_char_p)),
    ("auki_session_free", None, (c_void_p,)),
    ("auki_session_peer", c_int, (c_void_p, _P)),
    ("auki_session_id", c_int, (c_void_p, _P)),
    ("auki_session_info", c_int, (c_void_p, _P)),
    ("auki_session_register_clock", c_int, (c_void_p, c_char_p, c_char_p, c_char_p)),
    ("auki_log_spec_check", c_int, (c_char_p, c_char_p)),
    ("auki_session_register_log", c_int, (c_void_p, c_char_p, c_char_p, _P)),
    ("auki_session_logs", c_int, (c_void_p, c_char_p, _P)),
    ("auki_session_find_log", c_int, (c_void_p, c_char_p, _P)),
    ("auki_session_catalog", c_int, (c_void_p, _P)),
    ("auki_session_materialize_remote_log", c_int, (c_void_p, c_char_p, c_uint64, c_uint64, _P)),
    ("auki_session_resolve_static_transform", c_int, (c_void_p, c_char_p, _P)),
    # Log handles
    ("auki_log_free", None, (c_void_p,)),
    ("auki_log_kind", c_int, (c_void_p, _P)),
    ("auki_log_resource_id", c_int, (c_void_p, _P)),
    ("auki_log_root", c_int, (c_void_p, _P)),
    ("auki_log_ref", c_int, (c_void_p, _P)),
    ("auki_log_manifest", c_int, (c_void_p, _P)),
)


def declare(signatures, section="the core"):
    """Set restype/argtypes for each (name, restype, argtypes); a missing export is an ImportError.

    Shared by the section modules (``_ffi_activity``, ``_ffi_domain``), so a library that lacks a
    section fails at import with the names it lacks rather than with an AttributeError later.
    """
    missing = []
    for name, restype, argtypes in signatures:
        try:
            fn = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
    if missing:
        raise ImportError(
            f"{library_path} does not export {', '.join(missing)}: it is not a complete libauki "
            f"for C ABI {ABI_VERSION_MAJOR}.{ABI_VERSION_MINOR} ({section})"
        )


def _check_abi():
    version = lib.auki_abi_version()
    major, minor = version >> 16, version & 0xFFFF
    if major != ABI_VERSION_MAJOR:
        raise ImportError(
            f"{library_path} implements libauki C ABI {major}.{minor}, but this Python package was written "
            f"for ABI {ABI_VERSION_MAJOR}.x; install an auki-native package and libauki.so built from the same release"
        )
    return major, minor


# The ABI version must be checked before any other declaration is trusted.
lib.auki_abi_version.restype = c_uint32
lib.auki_abi_version.argtypes = ()
abi_version = _check_abi()
declare(_SIGNATURES)


def library_version():
    """The loaded library's version string (``auki_version()``)."""
    return lib.auki_version().decode("utf-8")
