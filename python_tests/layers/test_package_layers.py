"""The Python packages import downward only, and never another package's private modules.

The layer order is ARCHITECTURE.md's ("Python packages"); a package may import the packages of
lower layers, never one of its own layer or above (that is how import cycles start), and of
another package only its public names — the private shared layer is ``_auki``.
"""
import ast
import os
import subprocess
import sys

import pytest

BINDINGS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "bindings", "python")

#: Lowest first. Keep in step with ARCHITECTURE.md.
LAYERS = [
    ("auki_datatypes",),  # standalone: the standard library only
    ("_auki",),  # the private shared layer: ctypes, errors, entries, handles every package uses
    ("auki_registry", "auki_manifests", "auki_layout", "auki_logs"),
    ("auki_session",),
    ("auki_domain", "auki_data"),
]
LAYER = {package: level for level, packages in enumerate(LAYERS) for package in packages}


def packages():
    return sorted(name for name in os.listdir(BINDINGS) if os.path.isfile(os.path.join(BINDINGS, name, "__init__.py"))
                  and name != "build_backend")


def sources(package):
    for folder, _, files in os.walk(os.path.join(BINDINGS, package)):
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def imported(tree):
    """``(line, module path, names)`` of every absolute import in a module, lazy ones included."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module, tuple(alias.name for alias in node.names)


def violations(package, source, where="<source>"):
    """What is wrong with the imports of one module of ``package``, one line per import."""
    found = []
    for line, module, names in imported(ast.parse(source)):
        top, *rest = module.split(".")
        if top not in LAYER or top == package:
            continue
        if LAYER[top] >= LAYER[package]:
            found.append(f"{where}:{line}: {package} imports {module}, which is not below it")
        private = [part for part in rest if part.startswith("_")]
        private += [name for name in names if name.startswith("_") and not rest]
        if private and top != "_auki":
            found.append(f"{where}:{line}: {package} imports {module} {private}: private to {top}")
    return found


def test_every_package_has_a_layer():
    assert [p for p in packages() if p not in LAYER] == []


@pytest.mark.parametrize("package", packages())
def test_a_package_imports_only_public_names_of_packages_below_it(package):
    found = []
    for path in sources(package):
        with open(path, encoding="utf-8") as f:
            found += violations(package, f.read(), os.path.relpath(path, BINDINGS))
    assert found == []


@pytest.mark.parametrize("source, complaint", [
    ("from auki_domain import Domain", "not below it"),  # upward
    ("def f():\n    import auki_data\n", "not below it"),  # upward, lazily
    ("from auki_logs import Entry", "not below it"),  # same layer
    ("from auki_registry._store import frame_body", "private to auki_registry"),
    ("from auki_datatypes import _types", "private to auki_datatypes"),
])
def test_the_check_sees_what_it_forbids(source, complaint):
    (found,) = violations("auki_registry" if "auki_logs" in source else "auki_session", source)
    assert complaint in found


def test_the_check_lets_downward_public_imports_pass():
    assert violations("auki_domain", "from auki_session import Peer\nfrom _auki._ffi import lib\nimport json") == []


@pytest.mark.parametrize("package", packages())
def test_importing_a_package_loads_no_package_above_it(package):
    probe = (f"import sys, {package}; "
             "print(' '.join(sorted(m for m in sys.modules if '.' not in m and m.startswith(('auki_', '_auki')))))")
    env = dict(os.environ, PYTHONPATH=BINDINGS)
    loaded = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert [m for m in loaded if LAYER.get(m, -1) > LAYER[package]] == []
