"""C# (Google.Protobuf) and Python (auki_datatypes) encode the same values to the same bytes.

fixtures/datatypes_cross_vectors.jsonl holds random values of every message (fixed seed, CsCheck)
as proto3 JSON with Google.Protobuf's bytes; tests/Auki.Core.Tests/Datatypes/CrossLanguageVectorTests.cs
writes it and fails when it is stale. Here each message is built from its JSON and must encode to
those bytes, and the bytes must decode and re-encode unchanged.
"""
import json
import os

import pytest

import auki_datatypes as adt

import paths

FILE = str(paths.FIXTURES / "datatypes_cross_vectors.jsonl")


def _classes():
    out = {}
    for module in (adt.audio, adt.camera, adt.detection, adt.joint_encoders, adt.map, adt.message,
                   adt.point_cloud, adt.pose, adt.scalar, adt.stream, adt.time_transform):
        for name in module.__all__:
            cls = getattr(module, name)
            out[cls._full_name_] = cls
    return out


def _vectors():
    with open(FILE, encoding="utf-8") as f:
        # Google.Protobuf writes a float -0.0 as the JSON number -0, which Python reads as int 0.
        return [json.loads(line, parse_int=lambda s: -0.0 if s == "-0" else int(s)) for line in f]


CLASSES = _classes()
VECTORS = _vectors()


def test_every_message_is_in_the_file():
    assert {v["type"] for v in VECTORS} == set(CLASSES)


@pytest.mark.parametrize("type_name", sorted(CLASSES))
def test_values_from_csharp_encode_to_csharp_bytes(type_name):
    cls = CLASSES[type_name]
    for v in (v for v in VECTORS if v["type"] == type_name):
        assert bytes(cls().from_dict(v["json"])).hex() == v["hex"], v["json"]


@pytest.mark.parametrize("type_name", sorted(CLASSES))
def test_csharp_bytes_decode_and_reencode_unchanged(type_name):
    cls = CLASSES[type_name]
    for v in (v for v in VECTORS if v["type"] == type_name):
        decoded = cls().parse(bytes.fromhex(v["hex"]))
        assert bytes(decoded).hex() == v["hex"]
        assert cls().from_dict(decoded.to_dict()) == decoded
