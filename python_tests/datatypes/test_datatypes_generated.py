"""The committed auki_datatypes/auki/*.py are what tools/gen_auki_datatypes.py makes of proto/auki/*.proto.

The source hash check runs everywhere; the full regeneration needs protoc (Google.Protobuf.Tools in
the NuGet cache, which `./build.sh` restores) and is skipped only when it is absent.
"""
import hashlib
import importlib.util
import os
import re
from pathlib import Path

import pytest

import paths

REPO = paths.REPO
GENERATED = REPO / "bindings" / "python" / "auki_datatypes" / "auki"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_auki_datatypes", REPO / "tools" / "gen_auki_datatypes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_proto_file_has_a_module_generated_from_its_current_text():
    protos = sorted((REPO / "proto" / "auki").glob("*.proto"))
    assert protos
    for proto in protos:
        module = GENERATED / f"{proto.stem}.py"
        assert module.is_file(), f"{module} missing: run python3 tools/gen_auki_datatypes.py"
        recorded = re.search(r"^# source-sha256: ([0-9a-f]{64})$", module.read_text(), re.M).group(1)
        assert recorded == hashlib.sha256(proto.read_bytes()).hexdigest(), \
            f"{module.name} is stale: {proto.name} changed; run python3 tools/gen_auki_datatypes.py"
    modules = {p.stem for p in GENERATED.glob("*.py")} - {"__init__"}
    assert modules == {p.stem for p in protos}


def test_regenerating_changes_nothing():
    gen = _generator()
    try:
        protoc = gen.find_protoc(None)
    except SystemExit as e:
        pytest.skip(str(e))
    if not os.path.exists(protoc):
        pytest.skip(f"no protoc at {protoc}")
    for name, text in gen.generate(protoc).items():
        assert (GENERATED / name).read_text() == text, f"{name} is stale: run python3 tools/gen_auki_datatypes.py"
