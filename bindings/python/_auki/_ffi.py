"""Find and load ``libauki.so`` and declare its C ABI (``native/include/auki.h``, through the generated ``_abi``).

The library is looked up, in order:

1. the file named by the environment variable ``AUKI_LIBRARY`` (if set, it must exist);
2. ``libauki.so`` next to this module (the file an installed wheel ships);
3. ``<repo>/build/native/libauki.so`` when running from a source checkout.

On load, ``auki_abi_version()`` is compared with the ABI major this module was written for;
a mismatch raises ``ImportError`` instead of letting a wrong signature crash the process.
"""

import ctypes
import os
from ctypes import c_uint32

from . import _abi

#: The C ABI major version (``AUKI_ABI_VERSION_MAJOR``) these declarations were generated for.
ABI_VERSION_MAJOR = _abi.ABI_VERSION_MAJOR
#: The minor version of the header they were generated from.
ABI_VERSION_MINOR = _abi.ABI_VERSION_MINOR
#: ``AUKI_HASH_BUFSIZE``: 32 hex chars + NUL.
HASH_BUFSIZE = _abi.HASH_BUFSIZE
#: ``AUKI_ULID_BUFSIZE``: 26 chars + NUL.
ULID_BUFSIZE = _abi.ULID_BUFSIZE

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

def declare(signatures):
    """Set restype/argtypes for each (name, restype, argtypes); a missing export is an ImportError.

    Declared through attribute access, so ``lib.auki_x`` is the declared function object (CDLL caches
    it); a library that lacks a function fails at import with the names it lacks, not later.
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
            f"for C ABI {ABI_VERSION_MAJOR}.{ABI_VERSION_MINOR}"
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
declare(_abi.FUNCTIONS)


def library_version():
    """The loaded library's version string (``auki_version()``)."""
    return lib.auki_version().decode("utf-8")
