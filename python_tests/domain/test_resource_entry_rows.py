"""ResourceEntry rows: era-C detection rows keep instance_id and cadence, and truncated JSON gets
serde_json's "EOF while parsing …" wording (issue 14 item 4)."""
import pytest

from auki_domain import ResourceEntry

REF = {"peer_id": "galbot", "id": "x", "hash": "0" * 32}


def detection_row(**manifest):
    pointer = {"detector": REF, "input_log": {"source_peer_id": "galbot", "resource_id": "head_left_rgb"},
               "input_sensor": REF, "clock": REF}
    pointer.update(manifest)
    return {"source_peer_id": "galbot", "writer_peer_id": "galbot", "resource_id": "yolo-head-left", "state": "live",
            "head": {"kind": "rolling", "retention_ns": 5_000_000_000},
            "available": {"bytes": 0, "entries": 0, "duration_ns": 0}, "variant": "detection_log", "manifest": pointer}


def test_detection_rows_keep_instance_id_and_cadence():
    row = ResourceEntry.from_dict(detection_row(instance_id="yolo-head-left", cadence={"kind": "periodic", "period_ns": 100}))
    assert row.manifest["instance_id"] == "yolo-head-left"
    assert row.manifest["cadence"] == {"kind": "periodic", "period_ns": 100}
    assert ResourceEntry.from_json(row.to_json()) == row


def test_era_a_detection_rows_have_neither():
    row = ResourceEntry.from_dict(detection_row())
    assert "instance_id" not in row.manifest and "cadence" not in row.manifest


def test_a_bad_cadence_is_refused_naming_the_row_type():
    with pytest.raises(ValueError, match="^invalid ResourceEntry dict: .*every_frame"):
        ResourceEntry.from_dict(detection_row(cadence={"kind": "sometimes"}))


@pytest.mark.parametrize("text, message", [
    ("", "EOF while parsing a value at line 1 column 0"),
    ("{", "EOF while parsing an object at line 1 column 1"),
    ('{"source_peer_id":', "EOF while parsing a value at line 1 column 18"),
    ('{"source_peer_id":"gal', "EOF while parsing a string at line 1 column 22"),
    ('{"a":[1,2', "EOF while parsing a list at line 1 column 9"),
    ('{\n"a":1', "EOF while parsing an object at line 2 column 5"),
])
def test_truncated_json_uses_serdes_wording(text, message):
    with pytest.raises(ValueError, match="^invalid ResourceEntry JSON: " + message + "$"):
        ResourceEntry.from_json(text)
