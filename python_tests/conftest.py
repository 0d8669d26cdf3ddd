"""pytest setup for AukiNative's Python tests: import the packages from bindings/python.

The tests sit in one folder per package they exercise (session/, logs/, registry/, manifests/,
layout/, datatypes/, domain/, data/), plus abi/ (the ctypes layer and error mapping), stubs/
(the shipped .pyi files) and layers/ (which package may import which); shared helpers and
fixtures stay here.

Nothing is skipped: if libauki.so cannot be loaded, the run stops with the loader's message
(which lists every path tried and how to build the library).
"""
import os
import sys

import pytest

_TESTS = os.path.dirname(os.path.abspath(__file__))
_BINDINGS = os.path.join(os.path.dirname(_TESTS), "bindings", "python")
# The packages under test, and this folder's shared helpers (paths, activity_support, typed_store,
# domain.support) for the tests in its package folders.
for _path in (_TESTS, _BINDINGS):
    if _path not in sys.path:
        sys.path.insert(0, _path)

try:
    import _auki._ffi  # noqa: F401  (loads and checks libauki.so)
except ImportError as e:  # pragma: no cover - environment failure: stop the run, say why
    raise ImportError(f"AukiNative Python tests need libauki.so. {e}") from None


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


@pytest.fixture
def locked():
    """``locked(name)``: the exact bytes of a locked fixture in python_tests/fixtures, as text."""

    def read(name):
        with open(os.path.join(FIXTURES, name), "rb") as f:
            return f.read().decode("utf-8")

    return read


# ---- domains: a broker and the owner peer, shared by the domain test modules ---------------------

@pytest.fixture
def broker():
    """A mosquitto of its own on 127.0.0.1 (python_tests/domain/support.py), stopped after the test."""
    from domain.support import Broker

    b = Broker()
    yield b
    b.close()


@pytest.fixture
def owner(broker, tmp_path):
    """Peer "galbot" in another process (tests/domain/DomainPeer, C#), joined to domain "lab" on
    ``broker``, owning the logs the domain tests read; stopped after the test."""
    from domain.support import OwnerPeer

    o = OwnerPeer(str(tmp_path / "galbot"), broker.url, "lab")
    yield o
    o.close()
