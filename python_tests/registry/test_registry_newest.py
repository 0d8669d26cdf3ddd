"""auki_registry's newest surface: voxel maps, device models, SHA-256 blobs (behaviours of upstream's
registry tests and locked fixtures), the renamed read_* keywords, the older camera call, and
byte-identity of every new entry type: canonical JSON written out by hand here, XXH3-128 computed by
Debian's ``xxhsum -H2`` and SHA-256 by ``hashlib``, never by libauki."""
import hashlib
import inspect
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import auki_layout
import auki_registry as r

PEER = "galbot"
# crates/auki-registry/tests/locked/device_model_urdf.json (without its trailing newline)
LOCKED_DEVICE_MODEL = (
    '{"device_model_id":"unitree/g1","meshes":[{"path":"meshes/body.stl","sha256":"' + "b" * 64 + '"}],'
    '"model_id":"unitree_g1","peer_id":"galbot","root_convention":"ros_body","type":"urdf","urdf_sha256":"' + "a" * 64 + '"}'
)


def xxh128(text):
    exe = shutil.which("xxhsum")
    assert exe, "Debian's xxhash package (xxhsum) is needed: apt-get install xxhash"
    out = subprocess.run([exe, "-H2"], input=text.encode("utf-8"), capture_output=True, check=True).stdout
    return out.split()[0].decode("ascii")


def by_hand(value):
    # Every value below is ASCII, an integer, a short decimal or an object: RFC 8785 is sorted compact JSON.
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@pytest.fixture
def world(tmp_path):
    frame = r.frame_ros_body(PEER, "world")
    return tmp_path, {"peer_id": PEER, "id": "world", "hash": r.write_frame(str(tmp_path), frame)}


def voxel(frame_ref, **changes):
    args = dict(peer_id=PEER, map_id="occupancy", frame=frame_ref, voxel_size_m=0.05, chunk_dimension=64)
    args.update(changes)
    return r.voxel_map_entry(**args)


# ---- maps -----------------------------------------------------------------------------------------

def test_voxel_map_canonical_json_and_hash_are_byte_identical(world):
    _, frame = world
    entry = voxel(frame, semantic_classes=["floor", "wall"], color_model="additive_linear_rgb_evidence")
    expected = by_hand({"peer_id": PEER, "map_id": "occupancy", "kind": "voxel", "frame": frame, "voxel_size_m": 0.05,
                        "chunk_dimension": 64, "value_model": "additive_occupancy_evidence",
                        "color_model": "additive_linear_rgb_evidence", "semantic_classes": ["floor", "wall"]})
    assert r.canonical_json_map(entry) == expected
    assert r.hash_map(entry) == xxh128(expected)


def test_voxel_map_omits_absent_color_model_and_empty_classes(world):
    _, frame = world
    text = r.canonical_json_map(voxel(frame))
    assert "color_model" not in text and "semantic_classes" not in text
    assert '"voxel_size_m":0.05' in text


def test_map_write_read_round_trip_at_upstreams_path(world):
    root, frame = world
    entry = voxel(frame)
    h = r.write_map(str(root), entry)
    assert h == r.hash_map(entry)
    assert (root / "registries" / "maps" / PEER / "occupancy" / f"{h}.json").read_text() == r.canonical_json_map(entry)
    assert r.read_map(str(root), PEER, "occupancy", h) == entry
    assert r.read_map(str(root), peer_id=PEER, map_id="occupancy", hash="0" * 32) is None
    assert auki_layout.registry_entry_path(str(root), "map", PEER, "occupancy", h) == str(root / "registries" / "maps" / PEER / "occupancy" / f"{h}.json")


@pytest.mark.parametrize("changes, message", [
    (dict(voxel_size_m=0.0, chunk_dimension=0), "invalid map: voxel_size_m must be finite and greater than zero; chunk_dimension must be greater than zero"),
    (dict(voxel_size_m=-1.0), "invalid map: voxel_size_m must be finite"),
    (dict(chunk_dimension=0), "invalid map: voxel_size_m must be finite and greater than zero; chunk_dimension must be greater than zero"),
    (dict(semantic_classes=["floor", "floor"]), "invalid map: semantic class labels must be non-empty and unique"),
    (dict(semantic_classes=[""]), "invalid map: semantic class labels must be non-empty and unique"),
    (dict(peer_id=""), "invalid map: peer_id must not be empty"),
    (dict(map_id="bad>id"), "invalid map: invalid map_id: registry id contains disallowed character '>'"),
    (dict(frame={"peer_id": PEER, "id": "world", "hash": ""}), "invalid map: frame must contain peer_id, id, and hash"),
])
def test_invalid_maps_use_upstreams_messages_and_write_nothing(world, changes, message):
    root, frame = world
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        voxel(frame, **changes)
    assert not (root / "registries" / "maps").exists()


def test_write_map_revalidates_a_hand_built_dict(world):
    root, frame = world
    entry = dict(voxel(frame), chunk_dimension=0)
    with pytest.raises(ValueError, match="^invalid map: "):
        r.write_map(str(root), entry)
    assert not (root / "registries" / "maps").exists()


def test_unknown_color_model_names_the_field(world):
    _, frame = world
    with pytest.raises(ValueError, match="color_model: unknown variant `rgb`"):
        voxel(frame, color_model="rgb")


def test_validate_map_id():
    r.validate_map_id("voxel/world")
    with pytest.raises(ValueError, match="^map_id: registry id contains disallowed character '@'"):
        r.validate_map_id("bad@id")


# ---- blobs ----------------------------------------------------------------------------------------

def test_sha256_hex_matches_hashlib():
    for data in (b"", b"mesh bytes", bytes(range(256)) * 10):
        assert r.sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_put_get_blob_round_trip(tmp_path):
    sha = r.put_blob(str(tmp_path), b"<robot name='test'/>")
    assert sha == hashlib.sha256(b"<robot name='test'/>").hexdigest()
    assert (tmp_path / "registries" / "blobs" / "sha256" / sha).read_bytes() == b"<robot name='test'/>"
    assert r.put_blob(str(tmp_path), bytearray(b"<robot name='test'/>")) == sha  # idempotent, any bytes-like
    assert r.get_blob(str(tmp_path), sha) == b"<robot name='test'/>"
    assert r.get_blob(str(tmp_path), "0" * 64) is None
    empty = r.put_blob(str(tmp_path), b"")
    assert r.get_blob(str(tmp_path), empty) == b""


@pytest.mark.parametrize("address", ["A" * 64, "0" * 63, "../" + "0" * 61, ""])
def test_get_blob_refuses_a_malformed_address(tmp_path, address):
    with pytest.raises(ValueError, match="^invalid blob: sha256 must be 64 lowercase hex characters$"):
        r.get_blob(str(tmp_path), address)


def test_get_blob_refuses_bytes_that_no_longer_match(tmp_path):
    sha = r.put_blob(str(tmp_path), b"mesh")
    (tmp_path / "registries" / "blobs" / "sha256" / sha).write_bytes(b"tampered")
    with pytest.raises(ValueError, match="^invalid blob: on-disk bytes do not match SHA-256 address$"):
        r.get_blob(str(tmp_path), sha)


def test_blobs_over_64_mib_are_refused_and_nothing_is_written(tmp_path):
    big = bytearray(64 * 1024 * 1024 + 1)
    with pytest.raises(ValueError, match="^invalid blob: blob is 67108865 bytes, the limit is 67108864$"):
        r.put_blob(str(tmp_path), big)
    assert not (tmp_path / "registries").exists()


# ---- device models -------------------------------------------------------------------------------

def device_model(**changes):
    entry = {"peer_id": PEER, "device_model_id": "unitree/g1", "model_id": "unitree_g1", "type": "urdf",
             "urdf_sha256": "a" * 64, "meshes": [{"path": "meshes/body.stl", "sha256": "b" * 64}], "root_convention": "ros_body"}
    entry.update(changes)
    return entry


def test_device_model_matches_the_locked_fixture_and_xxhsum(tmp_path):
    h = r.write_device_model(str(tmp_path), device_model())
    path = tmp_path / "registries" / "device_models" / PEER / "unitree__g1" / f"{h}.json"
    assert path.read_text() == LOCKED_DEVICE_MODEL
    assert h == xxh128(LOCKED_DEVICE_MODEL)


def test_device_model_without_meshes_serializes_an_empty_list_and_omits_root_convention(tmp_path):
    entry = device_model(meshes=[])
    del entry["root_convention"]
    h = r.write_device_model(str(tmp_path), entry)
    expected = by_hand({"peer_id": PEER, "device_model_id": "unitree/g1", "model_id": "unitree_g1", "type": "urdf",
                        "urdf_sha256": "a" * 64, "meshes": []})
    assert h == xxh128(expected)


def test_list_device_models_sorted_and_skipping_what_is_not_valid(tmp_path):
    root = str(tmp_path)
    assert r.list_device_models(root, PEER) == []
    h1 = r.write_device_model(root, device_model())
    h2 = r.write_device_model(root, device_model(device_model_id="booster/k1", model_id="k1"))
    h3 = r.write_device_model(root, device_model(root_convention="ros_optical"))
    junk = tmp_path / "registries" / "device_models" / PEER / "unitree__g1" / ("f" * 32 + ".json")
    junk.write_text("{not json")
    assert r.list_device_models(root, PEER) == sorted(
        [{"id": "booster/k1", "hash": h2}, {"id": "unitree/g1", "hash": h1}, {"id": "unitree/g1", "hash": h3}],
        key=lambda row: (row["id"], row["hash"]))
    assert r.list_device_models(root, "someone-else") == []


@pytest.mark.parametrize("changes, message", [
    (dict(peer_id=""), "invalid device model: peer_id must not be empty"),
    (dict(device_model_id=""), "invalid device model: invalid device_model_id: registry id is empty"),
    (dict(model_id=""), "invalid device model: model_id must not be empty"),
    (dict(urdf_sha256="A" * 64), "invalid device model: urdf_sha256 must be 64 lowercase hex characters"),
    (dict(meshes=[{"path": "m", "sha256": "b" * 64}, {"path": "m", "sha256": "c" * 64}]), "invalid device model: mesh paths must be non-empty and unique"),
    (dict(meshes=[{"path": "m", "sha256": "xyz"}]), "invalid device model: mesh sha256 must be 64 lowercase hex characters"),
])
def test_invalid_device_models_use_upstreams_messages_and_write_nothing(tmp_path, changes, message):
    with pytest.raises(ValueError, match="^" + message + "$"):
        r.write_device_model(str(tmp_path), device_model(**changes))
    assert not (tmp_path / "registries").exists()


def test_blob_and_device_model_flow_of_upstreams_round_trip_test(tmp_path):
    root = str(tmp_path)
    urdf = r.put_blob(root, b"<robot name='test'/>")
    mesh = r.put_blob(root, b"mesh bytes")
    h = r.write_device_model(root, device_model(urdf_sha256=urdf, meshes=[{"path": "meshes/body.glb", "sha256": mesh}],
                                                root_convention="ros_rep_103"))
    assert r.get_blob(root, mesh) == b"mesh bytes"
    assert r.list_device_models(root, PEER) == [{"id": "unitree/g1", "hash": h}]


# ---- remaining differences (issue 14 item 4) ----------------------------------------------------

def test_read_functions_take_upstreams_keyword_names(tmp_path):
    for fn, name in ((r.read_frame, "frame_id"), (r.read_sensor, "sensor_id"), (r.read_clock, "clock_id"), (r.read_map, "map_id")):
        assert list(inspect.signature(fn).parameters) == ["app_root", "peer_id", name, "hash"]
    frame = r.frame_ros_body(PEER, "base_link")
    h = r.write_frame(str(tmp_path), frame)
    assert r.read_frame(app_root=str(tmp_path), peer_id=PEER, frame_id="base_link", hash=h) == frame


def test_camera_sensor_entry_accepts_the_older_call_without_image_layout(world):
    root, frame = world
    sensor = r.camera_sensor_entry(peer_id=PEER, sensor_id="head_left_rgb", sensor_type="rgb", width=1920, height=1200,
                                   frame_rate_hz=30, pixel_format="rgb8", color_space="srgb", intrinsics_model="pinhole",
                                   distortion_model="brown_conrady", frame=frame)
    assert "image_encoding" not in sensor and "row_stride_bytes" not in sensor
    expected = by_hand(dict(peer_id=PEER, sensor_id="head_left_rgb", kind="camera", type="rgb", width=1920, height=1200,
                            frame_rate_hz=30, pixel_format="rgb8", color_space="srgb", intrinsics_model="pinhole",
                            distortion_model="brown_conrady", frame=frame))
    assert r.canonical_json_sensor(sensor) == expected
    assert r.hash_sensor(sensor) == xxh128(expected)
    with pytest.raises(TypeError, match="missing required argument 'pixel_format'"):
        r.camera_sensor_entry(PEER, "s", "rgb", 1, 1, 1)


def test_a_malformed_frame_hash_reports_the_missing_frame(tmp_path):
    sensor = r.rf_sensor_entry(peer_id=PEER, sensor_id="uwb", sensor_type="uwb", frame={"peer_id": PEER, "id": "f", "hash": "missing"})
    with pytest.raises(ValueError, match="references missing frame") as e:
        r.write_sensor(str(tmp_path), sensor)
    assert "invalid blob: registry hash must be 32 lowercase hex characters" in str(e.value)
    assert not (tmp_path / "registries").exists()


def test_peer_register_device_model_writes_the_entry_and_returns_its_ref(tmp_path):
    from auki_session import Peer

    peer = Peer(PEER, "app").with_storage_root(str(tmp_path))
    body = {k: v for k, v in device_model().items() if k not in ("peer_id", "device_model_id")}
    ref = peer.register_device_model("unitree/g1", body)
    assert (ref.peer_id, ref.id, ref.hash) == (PEER, "unitree/g1", xxh128(LOCKED_DEVICE_MODEL))
    assert r.list_device_models(str(tmp_path), PEER) == [{"id": "unitree/g1", "hash": ref.hash}]
    with pytest.raises(ValueError, match="^device_model_id: registry id contains disallowed character '@'"):
        peer.register_device_model("bad@id", body)
    with pytest.raises(ValueError, match="^invalid device model: urdf_sha256"):
        peer.register_device_model("other", dict(body, urdf_sha256="nope"))


URDF = """<robot name="K1">
  <link name="base">
    <visual><geometry><mesh filename="package://K1_URDF_Serial/meshes/body.stl"/></geometry></visual>
    <collision><geometry><mesh filename='package://K1_URDF_Serial/meshes/body.stl'/></geometry></collision>
  </link>
</robot>"""


def urdf_package(tmp_path, text=URDF):
    pkg = tmp_path / "pkg"
    (pkg / "meshes").mkdir(parents=True)
    (pkg / "meshes" / "body.stl").write_bytes(b"mesh")
    (pkg / "robot.urdf").write_text(text)
    return pkg / "robot.urdf"


def test_put_urdf_package_rewrites_mesh_paths_and_stores_blobs(tmp_path):
    # Upstream's put_urdf_package_rewrites_and_blobs, plus the bytes checked independently.
    app = tmp_path / "app"
    package = r.put_urdf_package(str(app), str(urdf_package(tmp_path)), "ros_body")
    assert package["device_model_id"] == "k1"
    body = package["body"]
    assert body["meshes"] == [{"path": "meshes/body.stl", "sha256": hashlib.sha256(b"mesh").hexdigest()}]
    urdf = r.get_blob(str(app), body["urdf_sha256"]).decode()
    assert 'filename="meshes/body.stl"' in urdf and "filename='meshes/body.stl'" in urdf and "package://" not in urdf
    assert body["urdf_sha256"] == hashlib.sha256(urdf.encode()).hexdigest()
    assert (body["model_id"], body["type"], body["root_convention"]) == ("k1", "urdf", "ros_body")


def test_a_missing_mesh_is_refused_and_nothing_is_stored(tmp_path):
    path = urdf_package(tmp_path, URDF.replace("body.stl", "gone.stl"))
    with pytest.raises(ValueError, match=r"^invalid device model: URDF references mesh \"package://K1_URDF_Serial/meshes/gone.stl\" but none resolved"):
        r.put_urdf_package(str(tmp_path / "app"), str(path))
    assert not (tmp_path / "app").exists()


def test_a_mesh_path_leaving_the_package_is_refused(tmp_path):
    path = urdf_package(tmp_path, '<robot name="x"><mesh filename="../../etc/passwd"/></robot>')
    with pytest.raises(ValueError, match="leaves the package"):
        r.put_urdf_package(str(tmp_path / "app"), str(path))


def test_a_missing_urdf_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        r.put_urdf_package(str(tmp_path), str(tmp_path / "nope.urdf"))


def test_peer_register_urdf_package_registers_the_model(tmp_path):
    from auki_session import Peer

    peer = Peer(PEER, "app").with_storage_root(str(tmp_path / "app"))
    ref = peer.register_urdf_package(str(urdf_package(tmp_path)), root_convention="ros_body")
    assert ref.id == "k1"
    assert r.list_device_models(str(tmp_path / "app"), PEER) == [{"id": "k1", "hash": ref.hash}]
