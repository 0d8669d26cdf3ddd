#!/usr/bin/env python3
"""The C ABI is declared once, in native/include/auki.h; this script derives the rest from it.

    python3 tools/gen_abi.py            write bindings/python/_auki/_abi.py (ctypes signatures and
                                        every integer #define of the header) and
                                        native/Interop/AbiConstants.g.cs (the #defines for the exports)
    python3 tools/gen_abi.py --check    fail (exit 1, naming each disagreement) unless
                                          - _abi.py and AbiConstants.g.cs are what the header generates now,
                                          - core's AukiErrorCode has the header's AUKI_ERR_* values,
                                          - every header function has a comment line above it,
                                          - the [UnmanagedCallersOnly] EntryPoints in native/Exports/*.cs are
                                            exactly the header's functions, with the same arity and
                                            compatible C# types for every parameter and the return,
                                          - and, given --library PATH, libauki.so exports exactly them.

Header conventions the generator relies on (README "How to add an export" in ARCHITECTURE.md):
one declaration per function, `T *name` for a single value, `T name[]` / `T name[N]` for an array
(ctypes then takes any buffer or address), handles are `auki_<kind> *` and come out through
`auki_<kind> **out`.
"""
import argparse
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(REPO, "native", "include", "auki.h")
EXPORTS = os.path.join(REPO, "native", "Exports")
OUTPUT = os.path.join(REPO, "bindings", "python", "_auki", "_abi.py")
CS_OUTPUT = os.path.join(REPO, "native", "Interop", "AbiConstants.g.cs")
ERROR_CODES = os.path.join(REPO, "core", "Errors", "AukiErrorCode.cs")

SCALARS = {  # C scalar -> (ctypes name, C# type)
    "int": ("c_int", "int"),
    "int64_t": ("c_int64", "long"),
    "uint64_t": ("c_uint64", "ulong"),
    "uint32_t": ("c_uint32", "uint"),
    "size_t": ("c_size_t", "nuint"),
    "double": ("c_double", "double"),
    "uint8_t": ("c_uint8", "byte"),
    "char": ("c_char", "byte"),
}


class Param:
    def __init__(self, text):
        m = re.fullmatch(r"(?P<const>const\s+)?(?P<base>[a-z_0-9]+)\s*(?P<stars>\**)\s*(?P<name>[a-z_0-9]+)\s*(?P<array>\[[A-Z_0-9]*\])?", text)
        if not m:
            raise ValueError(f"cannot read parameter {text!r}")
        self.base, self.stars, self.name, self.const = m["base"], len(m["stars"]), m["name"], m["const"] is not None
        self.array = m["array"] is not None
        self.is_handle = self.base.startswith("auki_")
        if not self.is_handle and self.base not in SCALARS and self.base != "void":
            raise ValueError(f"unknown type {self.base!r} in {text!r}")

    def ctypes(self):
        if self.stars >= 2 or (self.stars == 1 and self.array):
            return "_P"                      # char **out, auki_x **out, const uint8_t **data
        if self.is_handle:
            return "c_void_p"                # an opaque handle
        if self.array:
            return "c_char_p" if self.base == "char" else "c_void_p"
        if self.stars == 1:
            if self.base == "char":
                return "c_char_p" if self.const else "c_void_p"  # a UTF-8 string in / one we handed out
            if self.base in ("uint8_t", "void"):
                return "c_void_p"            # bytes: any buffer or address
            return f"POINTER({SCALARS[self.base][0]})"
        return SCALARS[self.base][0]

    def csharp(self):
        """The C# parameter type an export must use for this C parameter."""
        if self.is_handle:
            return "nint" + "*" * (self.stars - 1)
        base = "byte" if self.base in ("char", "uint8_t", "void") else SCALARS[self.base][1]
        return base + "*" * (self.stars + (1 if self.array else 0))


class Function:
    def __init__(self, section, ret, name, params, comment):
        self.section, self.ret, self.name, self.params, self.comment = section, ret, name, params, comment

    def restype(self):
        return {"int": "c_int", "void": "None", "uint32_t": "c_uint32", "const char *": "c_char_p"}[self.ret]

    def csharp_return(self):
        return {"int": "int", "void": "void", "uint32_t": "uint", "const char *": "byte*"}[self.ret]


def parse_header(path=HEADER):
    text = open(path, encoding="utf-8").read()
    constants, functions, problems = [], [], []
    section, pending_comment = "", False  # a declaration needs a comment right above it
    # Walk the header statement by statement: comments, #defines, declarations.
    pos = 0
    token = re.compile(
        r"\s*(?:(?P<comment>/\*.*?\*/)|(?P<define>#define\s+(?P<dname>AUKI_[A-Z_0-9]+)\s+(?P<dvalue>[^\n]*))"
        r"|(?P<pre>#[^\n]*)|(?P<decl>(?P<ret>(?:const\s+)?[a-z_0-9]+\s*\**)\s*(?P<fname>auki_[a-z0-9_]+)\s*\((?P<params>[^)]*)\)\s*;)"
        r"|(?P<other>[^\n]*))", re.S)
    while pos < len(text):
        m = token.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m["comment"]:
            body = m["comment"]
            s = re.match(r"/\* ---- (.*?) -+", body)
            if s:
                section, pending_comment = s.group(1).split(" (")[0].strip(), False
            else:
                pending_comment = True
        elif m["define"]:
            value = re.sub(r"/\*.*?\*/", "", m["dvalue"]).strip()
            if re.fullmatch(r"-?\d+", value):
                constants.append((m["dname"], int(value)))
            pending_comment = False
        elif m["decl"]:
            ret = " ".join(m["ret"].replace("*", " *").split()).replace(" *", " *")
            params_text = " ".join(m["params"].split())
            params = [] if params_text in ("", "void") else [Param(p.strip()) for p in params_text.split(",")]
            if not pending_comment:
                problems.append(f"auki.h: {m['fname']} has no comment line above it (say what it does and who owns what)")
            functions.append(Function(section, ret, m["fname"], params, pending_comment))
            pending_comment = False
        elif m["other"] is not None and m["other"].strip():
            pending_comment = False  # a typedef or brace between comment and declaration
    return constants, functions, problems


def generate(constants, functions):
    lines = [
        '"""The C ABI of libauki as ctypes sees it: GENERATED from native/include/auki.h by tools/gen_abi.py.',
        "",
        "Do not edit: change the header and run `python3 tools/gen_abi.py` (`./build.sh` does; the test",
        "command fails when this file is stale).",
        '"""',
        "",
        "from ctypes import POINTER, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p",
        "",
        "_P = POINTER(c_void_p)  # char **out, auki_<kind> **out, const uint8_t **data",
        "",
        "# Every integer #define of the header, without the AUKI_ prefix.",
    ]
    for name, value in constants:
        lines.append(f"{name[len('AUKI_'):]} = {value}")
    lines += ["", "# (name, restype, argtypes) of every function, in header order, by section.", "FUNCTIONS = ("]
    section = None
    for f in functions:
        if f.section != section:
            section = f.section
            lines.append(f"    # {section}")
        args = ", ".join(p.ctypes() for p in f.params)
        if len(f.params) == 1:
            args += ","
        lines.append(f'    ("{f.name}", {f.restype()}, ({args})),')
    lines += [")", ""]
    return "\n".join(lines)


def generate_csharp(constants):
    lines = [
        "// GENERATED from native/include/auki.h by tools/gen_abi.py: edit the header, not this file.",
        "namespace Auki.Native.Interop;",
        "",
        "/// <summary>Every integer #define of auki.h, so the exports use the header's values, not copies.</summary>",
        "internal static class AbiConstants",
        "{",
    ]
    for name, value in constants:
        lines.append(f"    public const int {name[len('AUKI_'):]} = {value};")
    lines += ["}", ""]
    return "\n".join(lines)


def camel_to_upper(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def check_error_codes(constants):
    """core/Errors/AukiErrorCode.cs must give every AUKI_OK / AUKI_ERR_* its header value."""
    header = {n: v for n, v in constants if n == "AUKI_OK" or n.startswith("AUKI_ERR_")}
    text = open(ERROR_CODES, encoding="utf-8").read()
    core = {}
    for name, value in re.findall(r"^\s*([A-Z][A-Za-z]+)\s*=\s*(\d+),", text, flags=re.M):
        core["AUKI_OK" if name == "Ok" else "AUKI_ERR_" + camel_to_upper(name).replace("I_O", "IO")] = int(value)
    problems = []
    for name in sorted(set(header) | set(core)):
        if header.get(name) != core.get(name):
            problems.append(f"core/Errors/AukiErrorCode.cs: {name} is {core.get(name)}, auki.h says {header.get(name)}")
    return problems


EXPORT = re.compile(r'\[UnmanagedCallersOnly\(EntryPoint\s*=\s*"(?P<name>[^"]+)"\)\]\s*(?:\[[^\]]*\]\s*)*'
                    r'public\s+static\s+(?:unsafe\s+)?(?P<ret>[A-Za-z_0-9*]+)\s+[A-Za-z_0-9]+\s*\((?P<params>[^)]*)\)', re.S)


def parse_exports(directory=EXPORTS):
    exports = {}
    problems = []
    for file in sorted(os.listdir(directory)):
        if not file.endswith(".cs"):
            continue
        text = open(os.path.join(directory, file), encoding="utf-8").read()
        for m in EXPORT.finditer(text):
            params = " ".join(m["params"].split())
            types = [] if not params else [" ".join(p.split()[:-1]).replace(" *", "*") for p in params.split(",")]
            if m["name"] in exports:
                problems.append(f"{file}: {m['name']} is exported twice")
            exports[m["name"]] = (file, m["ret"], types)
    return exports, problems


def check(library=None):
    constants, functions, problems = parse_header()
    expected = generate(constants, functions)
    current = open(OUTPUT, encoding="utf-8").read() if os.path.exists(OUTPUT) else ""
    if current != expected:
        problems.append(f"{os.path.relpath(OUTPUT, REPO)} is stale: run `python3 tools/gen_abi.py`")
    current_cs = open(CS_OUTPUT, encoding="utf-8").read() if os.path.exists(CS_OUTPUT) else ""
    if current_cs != generate_csharp(constants):
        problems.append(f"{os.path.relpath(CS_OUTPUT, REPO)} is stale: run `python3 tools/gen_abi.py`")
    problems += check_error_codes(constants)
    exports, export_problems = parse_exports()
    problems += export_problems
    declared = {f.name: f for f in functions}
    for name in sorted(set(exports) - set(declared)):
        problems.append(f"native/Exports/{exports[name][0]}: {name} is exported but not declared in auki.h")
    for f in functions:
        if f.name not in exports:
            problems.append(f"auki.h: {f.name} is declared but no [UnmanagedCallersOnly] export has that EntryPoint")
            continue
        file, ret, types = exports[f.name]
        if ret != f.csharp_return():
            problems.append(f"{file}: {f.name} returns {ret}, auki.h says {f.ret} (C# {f.csharp_return()})")
        if len(types) != len(f.params):
            problems.append(f"{file}: {f.name} takes {len(types)} parameters, auki.h declares {len(f.params)}")
            continue
        for i, (cs, p) in enumerate(zip(types, f.params)):
            if cs != p.csharp():
                problems.append(f"{file}: {f.name} parameter {i + 1} ({p.name}) is {cs}, auki.h's type needs {p.csharp()}")
    if library:
        out = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
        symbols = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.split() and line.split()[-1].startswith("auki_")}
        for name in sorted(symbols - set(declared)):
            problems.append(f"{library}: exports {name}, which auki.h does not declare")
        for name in sorted(set(declared) - symbols):
            problems.append(f"{library}: does not export {name}, which auki.h declares")
    return functions, problems


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check instead of writing")
    parser.add_argument("--library", help="also check the dynamic symbols of this libauki.so")
    args = parser.parse_args(argv)
    if args.check:
        functions, problems = check(args.library)
        for p in problems:
            print("gen_abi: " + p, file=sys.stderr)
        if problems:
            print(f"gen_abi: {len(problems)} disagreement(s) between auki.h, native/Exports and the bindings", file=sys.stderr)
            return 1
        print(f"abi: {len(functions)} functions agree across auki.h, native/Exports"
              + (", libauki.so" if args.library else "") + " and bindings/python/_auki/_abi.py")
        return 0
    constants, functions, problems = parse_header()
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(generate(constants, functions))
    with open(CS_OUTPUT, "w", encoding="utf-8") as f:
        f.write(generate_csharp(constants))
    for p in problems:
        print("gen_abi: " + p, file=sys.stderr)
    print(f"wrote {os.path.relpath(OUTPUT, REPO)} and {os.path.relpath(CS_OUTPUT, REPO)}: {len(functions)} functions, {len(constants)} constants")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
