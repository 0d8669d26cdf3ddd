"""The public surface beyond upstream's test files: exports, identity rules, paths, loading."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import _auki._ffi as ffi
import auki_registry
import auki_session
from auki_session import FrameDef, HeadSpec, Peer, SensorLogSpec, Session

import paths

BINDINGS = str(paths.BINDINGS)


def test_module_exports():
    for name in ("Peer", "Session", "FrameDef", "HeadSpec", "SensorLogSpec", "PoseLogSpec",
                 "TimeTransformLogSpec", "DetectionLogSpec", "SensorLogHandle", "PoseLogHandle",
                 "TimeTransformLogHandle", "DetectionLogHandle", "MaterializedLogHandle",
                 "RegistryRef", "LogRef", "catalog"):
        assert hasattr(auki_session, name), name
        assert name in auki_session.__all__
    for name in auki_registry.__all__:
        assert hasattr(auki_registry, name), name


def test_with_storage_root_returns_the_same_peer_and_accepts_pathlike(tmp_path):
    peer = Peer("galbot", "galbot-ctrl")
    assert peer.with_storage_root(tmp_path) is peer
    assert peer.storage_root == str(tmp_path)
    assert isinstance(peer.storage_root, str)


def test_storage_root_is_kept_exactly_as_given():
    peer = Peer("galbot", "galbot-ctrl").with_storage_root("relative/./root/")
    assert peer.storage_root == "relative/./root/"


def test_session_storage_root_is_live_from_the_peer(tmp_path):
    peer = Peer("galbot", "galbot-ctrl").with_storage_root(str(tmp_path / "a"))
    session = peer.start_session()
    peer.with_storage_root(str(tmp_path / "b"))
    assert session.storage_root == str(tmp_path / "b")


def test_era_a_with_storage_root_returns_self(tmp_path):
    s = Session("galbot", "galbot-ctrl")
    assert s.with_storage_root(tmp_path) is s


def test_log_ref_is_a_new_object_each_access(tmp_path):
    s = Session("galbot", "galbot-ctrl").with_storage_root(str(tmp_path))
    frame = s.register_frame("f", FrameDef.ros_optical())
    sensor = s.register_sensor("cam", {
        "kind": "rf", "type": "uwb", "frame": {"peer_id": frame.peer_id, "id": frame.id, "hash": frame.hash}})
    clock = s.register_clock("c", {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"})
    handle = s.register_sensor_log(SensorLogSpec(sensor, clock, HeadSpec.fixed(), 1, 0))
    a, b = handle.log_ref, handle.log_ref
    assert a is not b
    assert (a.source_peer_id, a.resource_id) == (b.source_peer_id, b.resource_id) == ("galbot", "cam")
    a.resource_id = "changed"  # a copy: the handle is unaffected
    assert handle.log_ref.resource_id == "cam"


def test_exact_reprs():
    assert repr(FrameDef.ros_body()) == "FrameDef.ros_body()"
    assert repr(FrameDef.ros_optical()) == "FrameDef.ros_optical()"
    assert repr(FrameDef.opengl()) == "FrameDef.opengl()"
    assert repr(FrameDef.unity()) == "FrameDef.unity()"
    assert repr(HeadSpec.rolling(5_000_000_000)) == "HeadSpec.rolling(5000000000)"
    assert repr(HeadSpec.fixed()) == "HeadSpec.fixed()"


def test_registering_the_same_frame_twice_is_idempotent(tmp_path):
    peer = Peer("galbot", "galbot-ctrl").with_storage_root(str(tmp_path))
    a = peer.register_frame("f", FrameDef.ros_body())
    b = peer.register_frame("f", FrameDef.ros_body())
    assert (a.peer_id, a.id, a.hash) == (b.peer_id, b.id, b.hash)
    assert a is not b


def test_same_clock_in_two_sessions_hashes_differently(tmp_path):
    peer = Peer("galbot", "galbot-ctrl").with_storage_root(str(tmp_path))
    body = {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"}
    assert peer.start_session().register_clock("c", body).hash != peer.start_session().register_clock("c", body).hash


def test_library_version_and_abi():
    # ABI 1.1 added the log data, activity and domain sections to 1.0; 1.2 auki_error_string and AUKI_STREAM_*;
    # 2.0: auki_pose_* (the 56-byte pose format) removed; typed payloads, manifests, layout, newest registry added.
    # 2.1: activity sessions' attributes, search, timeline offsets and decoded column reads; store discovery (auki_store_*); auki_domain_config_defaults; auki_session_check_peer;
    # auki_foxglove_server_* (the live Foxglove WebSocket server). 2.2: auki_urdf_package_put_with_package_root, auki_log_append_gather, auki_log_writer_append_gather, auki_log_reader_next_views, auki_activity_reader_next_views. 2.3: auki_peer_batch_begin, auki_peer_batch_commit.
    assert ffi.abi_version == (ffi.ABI_VERSION_MAJOR, ffi.ABI_VERSION_MINOR) == (2, 3)
    assert ffi.library_version()


def _import_in_subprocess(env_extra, code="import auki_session"):
    env = dict(os.environ, PYTHONPATH=BINDINGS, **env_extra)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_missing_library_is_a_clear_import_error(tmp_path):
    result = _import_in_subprocess({"AUKI_LIBRARY": str(tmp_path / "nope.so")})
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert "AUKI_LIBRARY" in result.stderr
    assert "nope.so" in result.stderr


def test_auki_library_env_var_is_used():
    result = _import_in_subprocess({"AUKI_LIBRARY": ffi.library_path},
                                   "import _auki._ffi as f; print(f.library_path)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ffi.library_path


def test_abi_major_mismatch_is_an_import_error(monkeypatch):
    class FakeLib:
        @staticmethod
        def auki_abi_version():
            return (ffi.ABI_VERSION_MAJOR + 1) << 16

    monkeypatch.setattr(ffi, "lib", FakeLib)
    with pytest.raises(ImportError, match=f"C ABI {ffi.ABI_VERSION_MAJOR + 1}.0"):
        ffi._check_abi()


def test_another_minor_of_the_same_major_is_accepted(monkeypatch):
    class FakeLib:
        @staticmethod
        def auki_abi_version():
            return (ffi.ABI_VERSION_MAJOR << 16) | 7

    monkeypatch.setattr(ffi, "lib", FakeLib)
    assert ffi._check_abi() == (ffi.ABI_VERSION_MAJOR, 7)


def test_help_shows_real_signatures_not_star_args():
    # Issue 14: no-constructor classes show none (as upstream's pyclasses), multi-form ones their newest form.
    import inspect

    from auki_domain import ResourceEntry
    from auki_session import DetectionLogSpec, FrameDef, HeadSpec

    for cls in (HeadSpec, FrameDef, ResourceEntry):
        with pytest.raises(ValueError, match="no constructor"):
            inspect.signature(cls)
        assert not hasattr(HeadSpec.fixed(), "__signature__")
    assert list(inspect.signature(DetectionLogSpec).parameters) == [
        "instance_id", "detector", "input_log", "input_sensor", "clock", "cadence", "head", "segment_duration_ns", "retention_ns"]
    assert "(*args, **kwargs)" not in pydoc_text(HeadSpec) + pydoc_text(DetectionLogSpec)


def pydoc_text(obj):
    import pydoc

    return pydoc.render_doc(obj, renderer=pydoc.plaintext)
