"""The .pyi stubs shipped with py.typed: they parse as Python 3.9, define every public name of
their package, and their functions take the parameters the runtime functions take (names, kinds,
which have defaults). Debian's mypy is not required; this checks what an IDE reads."""
import ast
import importlib
import inspect
from pathlib import Path

import pytest

import paths

BINDINGS = paths.BINDINGS
TYPED = ["auki_manifests", "auki_layout", "auki_registry", "auki_session", "auki_domain", "auki_datatypes",
         "auki_logs", "auki_data"]


def stub(package):
    path = BINDINGS / package / "__init__.pyi"
    return ast.parse(path.read_text(), filename=str(path), feature_version=(3, 9))


@pytest.mark.parametrize("package", TYPED)
def test_package_is_marked_typed(package):
    assert (BINDINGS / package / "py.typed").is_file()


@pytest.mark.parametrize("package", TYPED)
def test_stub_defines_every_public_name(package):
    tree = stub(package)
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    names |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target] if isinstance(t, ast.Name)}
    names |= {a.asname for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names if a.asname == a.name}
    module = importlib.import_module(package)
    assert set(module.__all__) - names == set()


def params(fn):
    a = fn.args
    shape = [(p.arg, "positional", False) for p in a.args]
    for i, default in enumerate(reversed(a.defaults)):
        name, kind, _ = shape[-1 - i]
        shape[-1 - i] = (name, kind, True)
    if a.vararg:
        shape.append((a.vararg.arg, "var_positional", False))
    shape += [(p.arg, "keyword", d is not None) for p, d in zip(a.kwonlyargs, a.kw_defaults)]
    if a.kwarg:
        shape.append((a.kwarg.arg, "var_keyword", False))
    return shape


def runtime_params(fn):
    kinds = {inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional", inspect.Parameter.KEYWORD_ONLY: "keyword",
             inspect.Parameter.VAR_POSITIONAL: "var_positional", inspect.Parameter.VAR_KEYWORD: "var_keyword"}
    return [(p.name, kinds[p.kind], p.default is not inspect.Parameter.empty) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("package", TYPED)
def test_stub_signatures_match_the_runtime(package):
    module = importlib.import_module(package)
    overloaded = {n.name for n in stub(package).body if isinstance(n, ast.FunctionDef)
                  and any(isinstance(d, ast.Name) and d.id == "overload" for d in n.decorator_list)}
    for node in stub(package).body:
        if isinstance(node, ast.FunctionDef) and node.name not in overloaded:
            assert params(node) == runtime_params(getattr(module, node.name)), node.name


@pytest.mark.parametrize("package", TYPED)
def test_stub_methods_match_the_runtime(package):
    module = importlib.import_module(package)
    for cls_node in (n for n in stub(package).body if isinstance(n, ast.ClassDef) and hasattr(module, n.name)):
        cls = getattr(module, cls_node.name)
        for node in cls_node.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("__"):
                continue
            runtime = inspect.getattr_static(cls, node.name, None)
            if isinstance(runtime, staticmethod):
                runtime = runtime.__func__
            elif isinstance(runtime, classmethod):
                runtime, node = runtime.__func__, node
            if inspect.isfunction(runtime):
                assert params(node) == runtime_params(runtime), f"{cls_node.name}.{node.name}"


MESSAGE_MODULES = ["audio", "camera", "detection", "joint_encoders", "map", "message", "point_cloud", "pose",
                   "scalar", "stream", "time_transform"]


@pytest.mark.parametrize("module_name", MESSAGE_MODULES)
def test_each_message_stub_has_the_runtime_fields_as_keyword_init(module_name):
    # The runtime __init__ takes *args, **kwargs; the stub must name the fields in declaration
    # order (positional construction follows it), so `CameraFrame(frmae=...)` is flagged by a checker.
    module = importlib.import_module(f"auki_datatypes.{module_name}")
    path = BINDINGS / "auki_datatypes" / f"{module_name}.pyi"
    tree = ast.parse(path.read_text(), filename=str(path), feature_version=(3, 9))
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    aliases = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets}
    assert set(module.__all__) - set(classes) == set()
    for name, node in classes.items():
        runtime = [f.name for f in getattr(module, name)._init_order_]
        init = next(n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
        assert [a.arg for a in init.args.args[1:]] == runtime, name
        assert len(init.args.defaults) == len(runtime), f"{name}: every field has a default"
        fields = [n.target.id for n in node.body if isinstance(n, ast.AnnAssign)]
        assert fields == runtime, name
    for alias in aliases:
        assert hasattr(module, alias), alias  # the era-A name the stub shows exists at runtime
