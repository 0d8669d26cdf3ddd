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


def test_put_get_blob_round_trip_at_upstreams_path(tmp_path):
    sha = r.put_blob(str(tmp_path), b"<robot name='test'/>")
    assert sha == hashlib.sha256(b"<robot name='test'/>").hexdigest()
    # auki-layout's blob_path: <app_root>/blobs/<sha256>, beside registries/, one directory for every peer.
    assert (tmp_path / "blobs" / sha).read_bytes() == b"<robot name='test'/>"
    assert r.put_blob(str(tmp_path), bytearray(b"<robot name='test'/>")) == sha  # idempotent, any bytes-like
    assert r.get_blob(str(tmp_path), sha) == b"<robot name='test'/>"
    assert r.get_blob(str(tmp_path), "0" * 64) is None
    empty = r.put_blob(str(tmp_path), b"")
    assert r.get_blob(str(tmp_path), empty) == b""
    assert not (tmp_path / "registries").exists()


@pytest.mark.parametrize("address", ["A" * 64, "0" * 63, "../" + "0" * 61, ""])
def test_get_blob_refuses_a_malformed_address(tmp_path, address):
    with pytest.raises(ValueError, match="^invalid blob: sha256 must be 64 lowercase hex characters$"):
        r.get_blob(str(tmp_path), address)


def test_get_blob_refuses_bytes_that_no_longer_match(tmp_path):
    sha = r.put_blob(str(tmp_path), b"mesh")
    (tmp_path / "blobs" / sha).write_bytes(b"tampered")
    with pytest.raises(ValueError, match="^on-disk bytes do not match SHA-256 address$"):
        r.get_blob(str(tmp_path), sha)


def test_put_blob_reports_a_corrupt_stored_copy_and_leaves_it(tmp_path):
    # Upstream's put_blob_rejects_existing_hash_mismatch.
    path = tmp_path / "blobs" / hashlib.sha256(b"good-bytes").hexdigest()
    path.parent.mkdir()
    path.write_bytes(b"garbage-at-this-sha")
    with pytest.raises(ValueError, match="^on-disk bytes do not match SHA-256 address$"):
        r.put_blob(str(tmp_path), b"good-bytes")
    assert path.read_bytes() == b"garbage-at-this-sha"


def test_blobs_over_64_mib_are_refused_and_nothing_is_written(tmp_path):
    big = bytearray(64 * 1024 * 1024 + 1)
    with pytest.raises(ValueError, match=r"^invalid blob: blob exceeds MAX_BLOB_BYTES \(67108864\)$"):
        r.put_blob(str(tmp_path), big)
    assert not (tmp_path / "blobs").exists()


def test_an_oversized_stored_blob_is_refused_by_its_size(tmp_path):
    sha = "f" * 64
    (tmp_path / "blobs").mkdir()
    with open(tmp_path / "blobs" / sha, "wb") as f:
        f.truncate(64 * 1024 * 1024 + 1)  # sparse: refused before anything is read
    with pytest.raises(ValueError, match=r"^invalid blob: on-disk file exceeds size cap \(67108864 bytes\)$"):
        r.get_blob(str(tmp_path), sha)


# ---- device models -------------------------------------------------------------------------------

def blobs(root, urdf=b"<robot name='test'/>", mesh=b"mesh bytes"):
    return r.put_blob(str(root), urdf), r.put_blob(str(root), mesh)


def device_model(root, **changes):
    urdf, mesh = blobs(root)
    entry = {"peer_id": PEER, "device_model_id": "unitree/g1", "model_id": "unitree_g1", "type": "urdf",
             "urdf_sha256": urdf, "meshes": [{"path": "meshes/body.stl", "sha256": mesh}], "root_convention": "ros_body"}
    entry.update(changes)
    return entry


def model_dir(root, model_id="unitree__g1", peer=PEER):
    return Path(root) / "registries" / "device_models" / peer / model_id


def test_device_model_bytes_hash_and_tip(tmp_path):
    entry = device_model(tmp_path)
    h = r.write_device_model(str(tmp_path), entry)
    expected = by_hand(entry)
    assert (model_dir(tmp_path) / f"{h}.json").read_text() == expected
    assert h == xxh128(expected)
    # TIP: the hash written last, 32 hex characters, no newline.
    assert (model_dir(tmp_path) / "TIP").read_bytes() == h.encode("ascii")
    assert r.write_device_model(str(tmp_path), entry) == h  # idempotent


def test_device_model_without_meshes_serializes_an_empty_list_and_omits_root_convention(tmp_path):
    entry = device_model(tmp_path, meshes=[])
    del entry["root_convention"]
    h = r.write_device_model(str(tmp_path), entry)
    assert h == xxh128(by_hand(dict(entry, meshes=[])))
    entry.pop("meshes")  # serde's #[serde(default)]: absent means []
    assert r.write_device_model(str(tmp_path), entry) == h


def test_write_device_model_needs_every_blob_stored(tmp_path):
    with pytest.raises(ValueError, match="^invalid device model: referenced blob " + "c" * 64 + " not found$"):
        r.write_device_model(str(tmp_path), device_model(tmp_path, urdf_sha256="c" * 64))
    assert not (tmp_path / "registries").exists()
    sha = "a" * 64
    (tmp_path / "blobs" / sha).write_bytes(b"not what a hashes to")
    with pytest.raises(ValueError, match="^on-disk bytes do not match SHA-256 address$"):
        r.write_device_model(str(tmp_path), device_model(tmp_path, urdf_sha256=sha))
    assert not (tmp_path / "registries").exists()


def test_list_device_models_reports_the_tip_once_per_id(tmp_path):
    root = str(tmp_path)
    assert r.list_device_models(root, PEER) == []
    older = r.write_device_model(root, device_model(tmp_path))
    newer = r.write_device_model(root, device_model(tmp_path, root_convention="ros_optical"))
    k1 = r.write_device_model(root, device_model(tmp_path, device_model_id="booster/k1", model_id="k1"))
    assert r.list_device_models(root, PEER) == [{"id": "booster/k1", "hash": k1}, {"id": "unitree/g1", "hash": newer}]
    # Writing the older entry again makes it the tip again: TIP follows the last write, not the file times.
    assert r.write_device_model(root, device_model(tmp_path)) == older
    assert r.list_device_models(root, PEER) == [{"id": "booster/k1", "hash": k1}, {"id": "unitree/g1", "hash": older}]
    assert r.list_device_models(root, "someone-else") == []


def test_without_a_usable_tip_the_newest_entry_is_listed(tmp_path):
    root = str(tmp_path)
    first = r.write_device_model(root, device_model(tmp_path))
    second = r.write_device_model(root, device_model(tmp_path, root_convention="ros_optical"))
    tip = model_dir(tmp_path) / "TIP"
    os.utime(model_dir(tmp_path) / f"{first}.json", (2_000_000_000, 2_000_000_000))
    os.utime(model_dir(tmp_path) / f"{second}.json", (1_000_000_000, 1_000_000_000))
    tip.unlink()  # a tree written before TIP existed
    assert r.list_device_models(root, PEER) == [{"id": "unitree/g1", "hash": first}]
    with open(tip, "wb") as f:
        f.truncate(65)  # over upstream's 64-byte TIP cap: ignored, not read
    assert r.list_device_models(root, PEER) == [{"id": "unitree/g1", "hash": first}]
    tip.write_text(second + "\n")  # a hand-written TIP with a newline still counts
    assert r.list_device_models(root, PEER) == [{"id": "unitree/g1", "hash": second}]


def test_list_skips_what_does_not_belong(tmp_path):
    root = str(tmp_path)
    real = r.write_device_model(root, device_model(tmp_path, device_model_id="k1", model_id="k1"))
    # A sibling directory claiming the same id, with a TIP of its own: upstream's
    # list_device_models_ignores_sibling_dir_claiming_same_id_via_tip.
    evil_urdf = r.put_blob(root, b"<robot name='evil'/>")
    evil = device_model(tmp_path, device_model_id="k1", model_id="k1", urdf_sha256=evil_urdf)
    planted = model_dir(tmp_path, "evil")
    planted.mkdir()
    (planted / f"{xxh128(by_hand(evil))}.json").write_text(by_hand(evil))
    (planted / "TIP").write_text(xxh128(by_hand(evil)))
    # Not JSON, an evil mesh path, a bomb over the 1 MiB entry cap: skipped, no error.
    (model_dir(tmp_path, "k1") / ("f" * 32 + ".json")).write_text("{not json")
    bad = device_model(tmp_path, device_model_id="bad", model_id="bad", meshes=[{"path": "../etc/passwd", "sha256": evil_urdf}])
    model_dir(tmp_path, "bad").mkdir()
    (model_dir(tmp_path, "bad") / f"{xxh128(by_hand(bad))}.json").write_text(by_hand(bad))
    model_dir(tmp_path, "bomb").mkdir()
    with open(model_dir(tmp_path, "bomb") / ("d" * 32 + ".json"), "wb") as f:
        f.truncate(1024 * 1024 + 1)
    assert r.list_device_models(root, PEER) == [{"id": "k1", "hash": real}]


def test_a_tip_whose_blobs_are_gone_is_not_listed(tmp_path):
    entry = device_model(tmp_path)
    r.write_device_model(str(tmp_path), entry)
    (tmp_path / "blobs" / entry["urdf_sha256"]).unlink()
    assert r.list_device_models(str(tmp_path), PEER) == []


def test_a_peer_path_that_is_a_file_is_an_os_error(tmp_path):
    peer_dir = tmp_path / "registries" / "device_models" / PEER
    peer_dir.parent.mkdir(parents=True)
    peer_dir.write_text("not-a-directory")
    with pytest.raises(OSError):
        r.list_device_models(str(tmp_path), PEER)


def test_the_list_walk_is_bounded(tmp_path):
    peer_dir = tmp_path / "registries" / "device_models" / PEER
    for i in range(512 // 2 + 1):
        (peer_dir / f"model-{i}").mkdir(parents=True)
    with pytest.raises(ValueError, match="^device-model registry list limit exceeded$"):
        r.list_device_models(str(tmp_path), PEER)


@pytest.mark.parametrize("changes, message", [
    (dict(peer_id=""), "invalid device model: peer_id must not be empty"),
    (dict(device_model_id=""), "invalid device model: invalid device_model_id: registry id is empty"),
    (dict(device_model_id="a/../b"), "invalid device model: invalid device_model_id: registry id contains reserved path segment \"..\""),
    (dict(model_id=""), "invalid device model: model_id must not be empty"),
    (dict(urdf_sha256="A" * 64), "invalid device model: urdf_sha256 must be 64 lowercase hex characters"),
    (dict(meshes=[{"path": "m", "sha256": "b" * 64}, {"path": "m", "sha256": "c" * 64}]), "invalid device model: mesh paths must be unique"),
    (dict(meshes=[{"path": "m", "sha256": "xyz"}]), "invalid device model: mesh sha256 must be 64 lowercase hex characters"),
    (dict(meshes=[{"path": "", "sha256": "b" * 64}]), "invalid device model: mesh path must not be empty"),
    (dict(meshes=[{"path": "meshes/../x.stl", "sha256": "b" * 64}]), "invalid device model: mesh path must not contain '..': \"meshes/../x.stl\""),
    (dict(meshes=[{"path": "/etc/passwd", "sha256": "b" * 64}]), "invalid device model: mesh path must be relative, got \"/etc/passwd\""),
    (dict(meshes=[{"path": "a\"b.stl", "sha256": "b" * 64}]), "invalid device model: mesh path contains XML-unsafe characters: \"a\\\\\"b.stl\""),
])
def test_invalid_device_models_use_upstreams_messages_and_write_nothing(tmp_path, changes, message):
    with pytest.raises(ValueError) as e:
        r.write_device_model(str(tmp_path), device_model(tmp_path, **changes))
    assert str(e.value) == message.replace("\\\\", "\\")
    assert not (tmp_path / "registries").exists()


def test_a_different_file_under_an_entrys_name_is_reported_and_kept(tmp_path):
    # Upstream's write_device_model_rejects_corrupt_existing_entry: no TIP either.
    entry = device_model(tmp_path)
    path = model_dir(tmp_path) / f"{xxh128(by_hand(entry))}.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"not":"canonical"}')
    with pytest.raises(ValueError, match="^invalid blob: existing registry entry at .* does not match canonical bytes"):
        r.write_device_model(str(tmp_path), entry)
    assert path.read_text() == '{"not":"canonical"}'
    assert not (model_dir(tmp_path) / "TIP").exists()


def test_blob_and_device_model_flow_of_upstreams_round_trip_test(tmp_path):
    root = str(tmp_path)
    urdf = r.put_blob(root, b"<robot name='test'/>")
    mesh = r.put_blob(root, b"mesh bytes")
    h = r.write_device_model(root, device_model(tmp_path, urdf_sha256=urdf, meshes=[{"path": "meshes/body.glb", "sha256": mesh}],
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
    body = {k: v for k, v in device_model(tmp_path).items() if k not in ("peer_id", "device_model_id")}
    ref = peer.register_device_model("unitree/g1", body)
    assert (ref.peer_id, ref.id, ref.hash) == (PEER, "unitree/g1", xxh128(by_hand(dict(body, peer_id=PEER, device_model_id="unitree/g1"))))
    assert r.list_device_models(str(tmp_path), PEER) == [{"id": "unitree/g1", "hash": ref.hash}]
    # Upstream's Peer checks the id first; its error is the RegistryIdError text alone.
    with pytest.raises(ValueError, match="^registry id contains disallowed character '@'$"):
        peer.register_device_model("bad@id", body)
    with pytest.raises(ValueError, match="^invalid device model: urdf_sha256"):
        peer.register_device_model("other", dict(body, urdf_sha256="nope"))


URDF = """<robot name="K1">
  <link name="base">
    <visual><geometry><mesh filename="package://K1_URDF_Serial/meshes/body.stl"/></geometry></visual>
    <collision><geometry><mesh filename='package://K1_URDF_Serial/meshes/body.stl'/></geometry></collision>
  </link>
</robot>"""


def urdf_package(tmp_path, text=URDF, urdf_dir="pkg", meshes=(("meshes/body.stl", b"mesh"),)):
    pkg = tmp_path / "pkg"
    for rel, data in meshes:
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_bytes(data)
    urdf = tmp_path / urdf_dir / "robot.urdf"
    urdf.parent.mkdir(parents=True, exist_ok=True)
    urdf.write_text(text)
    return urdf


def stored_urdf(app, package):
    return r.get_blob(str(app), package["body"]["urdf_sha256"]).decode()


def test_put_urdf_package_rewrites_mesh_paths_and_stores_blobs(tmp_path):
    # Upstream's put_urdf_package_rewrites_and_blobs, plus the bytes checked independently.
    app = tmp_path / "app"
    package = r.put_urdf_package(str(app), str(urdf_package(tmp_path)), "ros_body")
    assert package["device_model_id"] == "k1"
    body = package["body"]
    assert body["meshes"] == [{"path": "meshes/body.stl", "sha256": hashlib.sha256(b"mesh").hexdigest()}]
    urdf = stored_urdf(app, package)
    assert 'filename="meshes/body.stl"' in urdf and "filename='meshes/body.stl'" in urdf and "package://" not in urdf
    assert body["urdf_sha256"] == hashlib.sha256(urdf.encode()).hexdigest()
    assert (app / "blobs" / body["urdf_sha256"]).is_file()
    assert list(package) == ["device_model_id", "body"]
    assert list(body) == ["model_id", "type", "urdf_sha256", "meshes", "root_convention"]
    assert (body["model_id"], body["type"], body["root_convention"]) == ("k1", "urdf", "ros_body")


def test_a_stock_ros_tree_needs_its_package_root(tmp_path):
    # Upstream's put_urdf_package_accepts_stock_ros_with_package_root: pkg/urdf/robot.urdf, pkg/meshes/body.stl.
    text = URDF.replace('name="K1"', 'name="stock"').replace("K1_URDF_Serial", "pkg")
    urdf = urdf_package(tmp_path, text, urdf_dir="pkg/urdf")
    app = tmp_path / "app"
    with pytest.raises(ValueError, match=r"^invalid device model: URDF references mesh \"package://pkg/meshes/body.stl\" but none resolved beside .*pkg/urdf$"):
        r.put_urdf_package(str(app), str(urdf))
    assert not app.exists()
    package = r.put_urdf_package(str(app), urdf, package_root=tmp_path / "pkg")
    assert package["device_model_id"] == "stock"
    assert package["body"]["meshes"][0]["path"] == "meshes/body.stl"


def test_only_mesh_filename_attributes_count(tmp_path):
    # Upstream's comment, mesh_filename=, name= and spaced-= cases in one URDF.
    text = """<robot name = "K1">
      <!-- <mesh filename="package://dead/meshes/gone.stl"/> -->
      <link name="base" mesh_filename = "attr.stl">
        <visual><geometry><mesh name="meshes/body.stl" filename = "package://K1_URDF_Serial/meshes/body.stl"/></geometry></visual>
      </link>
    </robot>"""
    app = tmp_path / "app"
    package = r.put_urdf_package(str(app), str(urdf_package(tmp_path, text)))
    assert package["device_model_id"] == "k1"
    assert [m["path"] for m in package["body"]["meshes"]] == ["meshes/body.stl"]
    urdf = stored_urdf(app, package)
    assert 'name="meshes/body.stl" filename = "meshes/body.stl"' in urdf
    assert 'package://dead/meshes/gone.stl' in urdf and 'mesh_filename = "attr.stl"' in urdf


@pytest.mark.parametrize("text, expected", [
    ('<!-- <robot name="OldK1"> --><robot name="K1"><link name="b"/></robot>', "k1"),  # commented robot skipped
    ("<robot name='G1'/>", "g1"),
    ('<robot name="  ÄBC "/>', "Äbc"),  # ASCII lowercasing only, trimmed
    ("<robot><link name='b'/></robot>", "pkg"),  # no name: the URDF's directory, lowercased
])
def test_device_model_id_comes_from_the_robot_name(tmp_path, text, expected):
    urdf = urdf_package(tmp_path, text, urdf_dir="PKG", meshes=())
    assert r.put_urdf_package(str(tmp_path / "app"), str(urdf))["device_model_id"] == expected


def test_device_model_id_falls_back_to_robot(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("robot.urdf").write_text("<robot/>")
    assert r.put_urdf_package("app", "robot.urdf")["device_model_id"] == "robot"


def test_a_robot_name_that_is_no_registry_id_is_refused(tmp_path):
    urdf = urdf_package(tmp_path, '<robot name=".."><link name="base"/></robot>', meshes=())
    with pytest.raises(ValueError, match=r"^invalid device model: invalid device_model_id: registry id contains reserved path segment \"..\"$"):
        r.put_urdf_package(str(tmp_path / "app"), str(urdf))


def test_a_missing_mesh_is_refused_and_nothing_is_stored(tmp_path):
    path = urdf_package(tmp_path, URDF.replace("body.stl", "gone.stl"))
    with pytest.raises(ValueError, match=r"^invalid device model: URDF references mesh \"package://K1_URDF_Serial/meshes/gone.stl\" but none resolved"):
        r.put_urdf_package(str(tmp_path / "app"), str(path))
    assert not (tmp_path / "app").exists()


def test_no_basename_guessing(tmp_path):
    # Upstream's put_urdf_package_does_not_steal_basename: meshes/body.stl exists, meshes/visual/body.stl does not.
    path = urdf_package(tmp_path, '<robot name="K1"><mesh filename="meshes/visual/body.stl"/></robot>')
    with pytest.raises(ValueError, match="none resolved"):
        r.put_urdf_package(str(tmp_path / "app"), str(path))
    assert not (tmp_path / "app" / "blobs").exists()


@pytest.mark.parametrize("filename, message", [
    ("../../etc/passwd", "invalid device model: mesh path must not contain '..': \"../../etc/passwd\""),
    ("package://pkg/../x.stl", "invalid device model: mesh path must not contain '..': \"../x.stl\""),
    ("meshes/evil&quot; x=&quot;y.stl", "invalid device model: mesh path contains XML-unsafe characters: \"meshes/evil&quot; x=&quot;y.stl\""),
    ("file:///etc/passwd", "invalid device model: URDF references mesh \"file:///etc/passwd\" but none resolved beside "),
])
def test_unsafe_mesh_paths_are_refused(tmp_path, filename, message):
    path = urdf_package(tmp_path, f'<robot name="x"><mesh filename="{filename}"/></robot>')
    with pytest.raises(ValueError) as e:
        r.put_urdf_package(str(tmp_path / "app"), str(path))
    assert str(e.value).startswith(message)
    assert not (tmp_path / "app").exists()


def test_one_path_resolving_to_two_files_is_refused(tmp_path):
    # Upstream's put_urdf_package_rejects_duplicate_rel_different_files.
    text = """<robot name="K1">
      <visual><geometry><mesh filename="package://pkg_a/meshes/body.stl"/></geometry></visual>
      <collision><geometry><mesh filename="package://pkg_b/meshes/body.stl"/></geometry></collision>
    </robot>"""
    path = urdf_package(tmp_path, text, meshes=(("pkg_a/meshes/body.stl", b"a"), ("pkg_b/meshes/body.stl", b"b")))
    with pytest.raises(ValueError, match=r"^invalid device model: mesh paths normalize to \"meshes/body.stl\" but resolve to different files$"):
        r.put_urdf_package(str(tmp_path / "app"), str(path))


def test_a_urdf_that_is_not_utf8_uses_rusts_wording(tmp_path):
    path = urdf_package(tmp_path, "", meshes=())
    path.write_bytes(b"<robot name=\"\xff\"/>")
    with pytest.raises(ValueError, match=r"^invalid device model: URDF is not UTF-8: invalid utf-8 sequence of 1 bytes from index 13$"):
        r.put_urdf_package(str(tmp_path / "app"), str(path))


def test_a_missing_urdf_is_an_os_error(tmp_path):
    with pytest.raises(OSError, match="^URDF not found: .*nope.urdf$"):
        r.put_urdf_package(str(tmp_path), str(tmp_path / "nope.urdf"))


def test_peer_register_urdf_package_registers_the_model(tmp_path):
    from auki_session import Peer

    peer = Peer(PEER, "app").with_storage_root(str(tmp_path / "app"))
    ref = peer.register_urdf_package(str(urdf_package(tmp_path)), root_convention="ros_body")
    assert ref.id == "k1"
    assert r.list_device_models(str(tmp_path / "app"), PEER) == [{"id": "k1", "hash": ref.hash}]
    # An explicit id keys the registry; model_id stays the robot name.
    other = peer.register_urdf_package(str(urdf_package(tmp_path)), device_model_id="booster/k1", package_root=tmp_path / "pkg")
    stored = json.loads((tmp_path / "app" / "registries" / "device_models" / PEER / "booster__k1" / f"{other.hash}.json").read_text())
    assert (stored["device_model_id"], stored["model_id"]) == ("booster/k1", "k1")
