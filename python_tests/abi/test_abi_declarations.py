"""The C ABI is declared once (native/include/auki.h); tools/gen_abi.py generates the ctypes table and
the exports' constants from it and checks the C# EntryPoints and the built library against it."""
import ctypes
import os
import shutil
import subprocess
import sys

import pytest

import paths

REPO = str(paths.REPO)
sys.path.insert(0, os.path.join(REPO, "tools"))
import gen_abi  # noqa: E402

from _auki import _abi  # noqa: E402
from _auki._ffi import lib, library_path  # noqa: E402


def test_header_exports_library_and_bindings_agree():
    _, problems = gen_abi.check(library_path)
    assert problems == []


def test_every_header_function_is_declared_on_the_loaded_library():
    for name, restype, argtypes in _abi.FUNCTIONS:
        fn = getattr(lib, name)
        assert fn.restype == restype and tuple(fn.argtypes) == tuple(argtypes), name


@pytest.fixture
def mutated(tmp_path, monkeypatch):
    """A copy of the header (and exports) to break on purpose; the checker must name each break."""
    header = tmp_path / "auki.h"
    exports = tmp_path / "Exports"
    shutil.copy(gen_abi.HEADER, header)
    shutil.copytree(gen_abi.EXPORTS, exports)
    monkeypatch.setattr(gen_abi, "HEADER", str(header))
    monkeypatch.setattr(gen_abi, "EXPORTS", str(exports))
    monkeypatch.setattr(gen_abi, "parse_header", lambda path=str(header), f=gen_abi.parse_header: f(path))
    monkeypatch.setattr(gen_abi, "parse_exports", lambda directory=str(exports), f=gen_abi.parse_exports: f(directory))
    return header, exports


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_parameter_type_that_differs_from_the_export_is_named(mutated):
    header, _ = mutated
    edit(header, "int auki_log_append(auki_log *log, int64_t timestamp_ns,", "int auki_log_append(auki_log *log, uint64_t timestamp_ns,")
    problems = gen_abi.check()[1]
    assert any("auki_log_append parameter 2 (timestamp_ns) is long, auki.h's type needs ulong" in p for p in problems)
    assert any("_abi.py is stale" in p for p in problems)


def test_an_export_missing_from_the_header_and_an_extra_parameter_are_named(mutated):
    header, exports = mutated
    edit(header, "int auki_log_flush(auki_log *log);", "")
    edit(exports / "LogDataExports.cs", "public static int WriterClose(nint writer)", "public static int WriterClose(nint writer, int extra)")
    problems = gen_abi.check()[1]
    assert any("auki_log_flush is exported but not declared in auki.h" in p for p in problems)
    assert any("auki_log_writer_close takes 2 parameters, auki.h declares 1" in p for p in problems)


def test_a_declaration_without_its_comment_line_is_refused(mutated):
    header, _ = mutated
    edit(header, "/* Flush and fsync what was appended; a no-op before the first append. */\n", "\n")
    assert any("auki_log_flush has no comment line above it" in p for p in gen_abi.check()[1])


def test_error_codes_of_the_core_must_match_the_header(mutated, monkeypatch, tmp_path):
    codes = tmp_path / "AukiErrorCode.cs"
    shutil.copy(gen_abi.ERROR_CODES, codes)
    edit(codes, "Timeout = 8,", "Timeout = 11,")
    monkeypatch.setattr(gen_abi, "ERROR_CODES", str(codes))
    assert any("AUKI_ERR_TIMEOUT is 11, auki.h says 8" in p for p in gen_abi.check()[1])


def test_the_status_constants_python_sees_are_the_headers():
    from _auki import _errors
    assert (_errors.INVALID_ARGUMENT, _errors.TIMEOUT, _errors.INTERNAL) == (1, 8, 99)
    assert (_abi.STREAM_TIMEOUT, _abi.STREAM_ENTRY, _abi.STREAM_ENDED) == (0, 1, 2)
    assert lib.auki_error_string(_abi.ERR_CORRUPT) == b"corrupt data"
