"""What a type checker makes of the shipped stubs: Debian's mypy (installed by ./build.sh deps)
accepts the Python examples and a program that uses every typed package as documented, and flags each mistake in
typing/misuses_the_stubs.py on the line that makes it."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import paths

HERE = Path(__file__).resolve().parent / "programs"
BINDINGS = paths.BINDINGS

pytestmark = pytest.mark.skipif(shutil.which("mypy") is None and subprocess.run(
    [sys.executable, "-c", "import mypy"], capture_output=True).returncode != 0,
    reason="mypy is not installed (./build.sh deps installs Debian's python3-mypy)")


def mypy(path, tmp_path, *flags):
    env = dict(os.environ, MYPYPATH=str(BINDINGS))
    run = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
                          "--python-version", "3.9", *flags, str(path)], capture_output=True, text=True, env=env,
                         cwd=BINDINGS)
    return run.returncode, run.stdout + run.stderr


EXAMPLES = [HERE / "uses_the_stubs.py", *sorted((paths.REPO / "examples" / "python").glob("*.py"))]


@pytest.mark.parametrize("program", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_and_a_program_using_every_stub_type_check_strictly(program, tmp_path):
    code, out = mypy(program, tmp_path, "--strict")
    assert code == 0, out


def test_each_misuse_is_reported_on_its_own_line(tmp_path):
    source = (HERE / "misuses_the_stubs.py").read_text().splitlines()
    expected = {i + 1 for i, line in enumerate(source) if "# error:" in line}
    code, out = mypy(HERE / "misuses_the_stubs.py", tmp_path)
    reported = {int(m.group(1)) for m in re.finditer(r"misuses_the_stubs\.py:(\d+): error", out)}
    assert code == 1 and reported == expected, out
