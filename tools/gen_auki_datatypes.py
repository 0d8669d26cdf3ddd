#!/usr/bin/env python3
"""Generate the Python message tables of auki_datatypes from proto/auki/*.proto.

The .proto files are the one source of truth: the C# types are generated from them by protoc at
build time (core/Datatypes/Protoc.targets), and this script asks the same protoc for a descriptor
set and writes one module per file into bindings/python/auki_datatypes/auki/. Run by ./build.sh;
python_tests/datatypes/test_datatypes_generated.py fails when the committed modules are out of date.

  python3 tools/gen_auki_datatypes.py            # rewrite the modules
  python3 tools/gen_auki_datatypes.py --check    # exit 1 if they differ from what would be written
protoc: --protoc PATH, $AUKI_PROTOC, or Google.Protobuf.Tools in the NuGet cache (after dotnet restore).
"""
import argparse
import glob
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROTO_ROOT = REPO / "proto"
OUT = REPO / "bindings" / "python" / "auki_datatypes" / "auki"
# Hand-written additions to generated classes, which their stubs must show too.
ALIASES_SOURCE = OUT.parent / "_aliases.py"
STUB_METHODS = {("camera", "CameraFrame"): ["def to_numpy(self, layout: Any = ..., **sizes: int) -> Any: ...  # _frame_array.py"]}

# FieldDescriptorProto.Type -> (constant name in auki_datatypes._schema, Python annotation)
KINDS = {1: ("DOUBLE", "float"), 2: ("FLOAT", "float"), 3: ("INT64", "int"), 4: ("UINT64", "int"),
         5: ("INT32", "int"), 6: ("FIXED64", "int"), 7: ("FIXED32", "int"), 8: ("BOOL", "bool"),
         9: ("STRING", "str"), 11: ("MESSAGE", None), 12: ("BYTES", "bytes"), 13: ("UINT32", "int"),
         14: ("ENUM", "int"), 15: ("SFIXED32", "int"), 16: ("SFIXED64", "int"), 17: ("SINT32", "int"),
         18: ("SINT64", "int")}
LABEL_REPEATED = 3


def find_protoc(explicit):
    if explicit or os.environ.get("AUKI_PROTOC"):
        return explicit or os.environ["AUKI_PROTOC"]
    csproj = (REPO / "core" / "Auki.Core.csproj").read_text()
    version = re.search(r'Include="Google\.Protobuf\.Tools" Version="([^"]+)"', csproj).group(1)
    packages = os.environ.get("NUGET_PACKAGES") or os.path.expanduser("~/.nuget/packages")
    path = Path(packages) / "google.protobuf.tools" / version / "tools" / "linux_x64" / "protoc"
    if not path.is_file():
        sys.exit(f"gen_auki_datatypes: protoc not found at {path} (run `dotnet restore core` or pass --protoc)")
    if not os.access(path, os.X_OK):
        path.chmod(0o755)  # NuGet does not keep the executable bit
    return str(path)


# ---- a minimal reader of protoc's FileDescriptorSet (no generated code needed to read it) --------

def _varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 128:
            return result, pos
        shift += 7


def _fields(buf):
    """(number, value) pairs of one message: ints for varints, bytes for length-delimited."""
    pos, out = 0, []
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wt = key >> 3, key & 7
        if wt == 0:
            value, pos = _varint(buf, pos)
        elif wt == 2:
            size, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        elif wt == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wt == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"unexpected wire type {wt} in descriptor set")
        out.append((number, value))
    return out


def _one(pairs, number, default=None):
    for n, v in pairs:
        if n == number:
            return v
    return default


def _all(pairs, number):
    return [v for n, v in pairs if n == number]


def _packed_ints(value):
    if isinstance(value, int):
        return [value]
    pos, out = 0, []
    while pos < len(value):
        v, pos = _varint(value, pos)
        out.append(v)
    return out


def read_descriptor_set(data):
    """[{name, package, messages: [...], comments: {path tuple: text}}] for each .proto file."""
    files = []
    for file_bytes in _all(_fields(data), 1):
        f = _fields(file_bytes)
        comments = {}
        info = _one(f, 9)
        if info is not None:
            for loc in _all(_fields(info), 1):
                lp = _fields(loc)
                path = tuple(p for v in _all(lp, 1) for p in _packed_ints(v))
                text = _one(lp, 3) or _one(lp, 4)
                if text:
                    comments[path] = "\n".join(ln.strip() for ln in text.decode().strip().splitlines())
        messages = [_read_message(m, (4, i)) for i, m in enumerate(_all(f, 4))]
        files.append({"name": _one(f, 1).decode(), "package": _one(f, 2, b"").decode(),
                      "messages": messages, "comments": comments})
    return files


def _read_message(data, path):
    m = _fields(data)
    oneofs = [_one(_fields(o), 1).decode() for o in _all(m, 8)]
    fields = []
    for i, fb in enumerate(_all(m, 2)):
        fd = _fields(fb)
        oneof_index = _one(fd, 9)
        if _one(fd, 17):
            raise ValueError("proto3 `optional` is not supported (no auki message uses it)")
        fields.append({"name": _one(fd, 1).decode(), "number": _one(fd, 3), "label": _one(fd, 4),
                       "type": _one(fd, 5), "type_name": (_one(fd, 6) or b"").decode(),
                       "oneof": oneofs[oneof_index] if oneof_index is not None else None,
                       "path": path + (2, i)})
    nested = [_read_message(n, path + (3, i)) for i, n in enumerate(_all(m, 3))]
    return {"name": _one(m, 1).decode(), "fields": fields, "nested": nested, "path": path}


# ---- rendering -----------------------------------------------------------------------------------

def _flatten(messages, prefix, proto_prefix):
    """betterproto names nested messages by concatenation: DeclineReason.Other -> DeclineReasonOther."""
    for m in messages:
        py_name = prefix + m["name"]
        full = f"{proto_prefix}.{m['name']}"
        yield py_name, full, m
        yield from _flatten(m["nested"], py_name, full)


def render(files, sources):
    """{relative output path: text} for every proto file, plus the package's __init__.py."""
    by_full_name = {}
    for f in files:
        for py_name, full, _ in _flatten(f["messages"], "", "." + f["package"]):
            by_full_name[full] = (f["package"].split(".")[-1], py_name)
    out = {"__init__.py": '"""Generated by tools/gen_auki_datatypes.py: one module per proto/auki/*.proto."""\n'}
    for f in files:
        module = f["package"].split(".")[-1]
        if f["name"] != f"auki/{module}.proto" or not f["package"].startswith("auki."):
            raise ValueError(f"{f['name']}: expected package auki.<file stem>, found {f['package']!r}")
        out[f"{module}.py"] = _render_file(f, module, by_full_name, sources[f["name"]])
        out[f"../{module}.pyi"] = _render_stub(f, module, by_full_name)
    return out


def _annotation(fl, module, by_full_name):
    kind, annotation = KINDS[fl["type"]]
    if kind == "MESSAGE":
        target_module, target = by_full_name[fl["type_name"]]
        annotation = target if target_module == module else f"{target_module}.{target}"
    return f"List[{annotation}]" if fl["label"] == LABEL_REPEATED else annotation


def _era_a_aliases():
    """The ALIASES table of auki_datatypes/_aliases.py, read without importing the package."""
    import ast
    for node in ast.parse(ALIASES_SOURCE.read_text()).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["ALIASES"]:
            return ast.literal_eval(node.value)
    raise ValueError(f"{ALIASES_SOURCE}: no ALIASES table")


def _render_stub(f, module, by_full_name):
    """The module's type stub: each class's fields and a keyword __init__ (the runtime takes *args, **kwargs),
    so an IDE or mypy checks `CameraFrame(widht=...)` and knows `frame.frame` is bytes."""
    classes = list(_flatten(f["messages"], "", "." + f["package"]))
    imports = sorted({by_full_name[fl["type_name"]][0] for _, _, m in classes for fl in m["fields"]
                      if KINDS[fl["type"]][0] == "MESSAGE" and by_full_name[fl["type_name"]][0] != module})
    lines = [f"# Generated from proto/{f['name']} by tools/gen_auki_datatypes.py: do not edit.",
             "from typing import Any, List", "", "from ._message import Message as _Message"]
    lines += [f"from . import {imp}" for imp in imports]
    lines += ["", "__all__: List[str]"]
    for py_name, _, m in classes:
        lines += ["", f"class {py_name}(_Message):"]
        fields = [(fl["name"], _annotation(fl, module, by_full_name)) for fl in m["fields"]]
        lines += [f"    {name}: {annotation}" for name, annotation in fields]
        params = "".join(f", {name}: {annotation} = ..." for name, annotation in fields)
        lines.append(f"    def __init__(self{params}) -> None: ...")
        lines += [f"    {method}" for method in STUB_METHODS.get((module, py_name), [])]
    aliases = _era_a_aliases().get(module, {})
    if aliases:
        lines += ["", "# Era-A names (auki_datatypes/_aliases.py)"] + [f"{old} = {new}" for old, new in aliases.items()]
    return "\n".join(lines) + "\n"


def _render_file(f, module, by_full_name, source):
    digest = hashlib.sha256(source).hexdigest()
    classes = list(_flatten(f["messages"], "", "." + f["package"]))
    kinds, imports, annotations_need_list = set(), set(), False
    body = []
    for py_name, full, m in classes:
        doc = f["comments"].get(m["path"], "")
        doc = (doc + "\n\n" if doc else "") + f"Protobuf message {full[1:]}."
        body.append(f"\n\nclass {py_name}(Message):")
        doc_lines = doc.replace('"' * 3, "'" * 3).split("\n")
        doc_text = "\n".join([doc_lines[0]] + [("    " + ln).rstrip() for ln in doc_lines[1:]])
        body.append('    """' + doc_text + '"""\n')
        body.append(f"    __slots__ = {tuple(fl['name'] for fl in m['fields'])!r}")
        for fl in m["fields"]:
            kind, annotation = KINDS[fl["type"]]
            if kind == "MESSAGE":
                target_module, target = by_full_name[fl["type_name"]]
                annotation = target if target_module == module else f"{target_module}.{target}"
            if fl["label"] == LABEL_REPEATED:
                annotation, annotations_need_list = f"List[{annotation}]", True
            comment = f["comments"].get(fl["path"])
            body.append(f"    {fl['name']}: {annotation}" + (f"  # {comment.splitlines()[0]}" if comment else ""))
    body.append("\n")
    for py_name, full, m in classes:
        rows = []
        for fl in m["fields"]:
            kind = KINDS[fl["type"]][0]
            kinds.add(kind)
            args = [repr(fl["name"]), str(fl["number"]), kind]
            if fl["label"] == LABEL_REPEATED:
                args.append("repeated=True")
            if kind == "MESSAGE":
                target_module, target = by_full_name[fl["type_name"]]
                if target_module != module:
                    imports.add(target_module)
                args.append("message=" + (target if target_module == module else f"{target_module}.{target}"))
            if fl["oneof"]:
                args.append(f"oneof={fl['oneof']!r}")
            rows.append(f"    Field({', '.join(args)}),")
        table = ("\n" + "\n".join(rows) + "\n") if rows else ""
        body.append(f"{py_name}._define_({full[1:]!r}, ({table}))")
    head = [
        f"# Generated from proto/{f['name']} by tools/gen_auki_datatypes.py: do not edit. Change the",
        "# .proto file and run ./build.sh (or python3 tools/gen_auki_datatypes.py).",
        f"# source-sha256: {digest}",
        f'"""{f["package"]}: the messages of proto/{f["name"]}."""',
        "from __future__ import annotations",
        "",
    ]
    if annotations_need_list:
        head += ["from typing import List", ""]
    head.append("from .._message import Message")
    head.append(f"from .._schema import Field, {', '.join(sorted(kinds))}" if kinds else "from .._schema import Field  # noqa: F401")
    for imp in sorted(imports):
        head.append(f"from . import {imp}")
    head.append("")
    head += ["__all__ = ["] + [f"    {c[0]!r}," for c in classes] + ["]"]
    text = "\n".join(head) + "\n" + "\n".join(body) + "\n"
    return re.sub(r"\n{4,}", "\n\n\n", text)


def generate(protoc=None):
    protos = sorted(glob.glob(str(PROTO_ROOT / "auki" / "*.proto")))
    rel = [os.path.relpath(p, PROTO_ROOT) for p in protos]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run([find_protoc(protoc), f"--proto_path={PROTO_ROOT}", f"--descriptor_set_out={out}",
                        "--include_source_info", *rel], check=True)
        data = Path(out).read_bytes()
    sources = {r: (PROTO_ROOT / r).read_bytes() for r in rel}
    return render(read_descriptor_set(data), sources)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed modules are out of date")
    ap.add_argument("--protoc")
    args = ap.parse_args()
    wanted = generate(args.protoc)
    # Stubs sit where users import from (auki_datatypes/pose.pyi, as upstream's auki_datatypes.pose):
    # the runtime reaches auki/pose.py through a sys.modules alias that a type checker cannot see.
    present = {p.name for p in OUT.glob("*.py")} | {f"../{p.name}" for p in OUT.parent.glob("*.pyi")
                                                     if p.read_text().startswith("# Generated from")}
    stale = [n for n, text in wanted.items() if not (OUT / n).is_file() or (OUT / n).read_text() != text]
    extra = sorted(present - set(wanted))
    if args.check:
        if stale or extra:
            sys.exit(f"gen_auki_datatypes: out of date: {', '.join(stale + extra)} (run python3 tools/gen_auki_datatypes.py)")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (OUT / name).write_text(wanted[name])
    for name in extra:
        (OUT / name).unlink()
    print(f"gen_auki_datatypes: {len(stale)} written, {len(extra)} removed, {len(wanted) - len(stale)} unchanged")


if __name__ == "__main__":
    main()
