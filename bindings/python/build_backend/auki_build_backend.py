"""A tiny in-tree PEP 517 backend for the auki-native wheel, standard library only.

Why our own: this machine (and many robot build hosts) cannot reach PyPI, so a backend that needs
setuptools/wheel from an index would make `pip install ./bindings/python` fail. This one needs
nothing, so pip works with or without build isolation. It packs the pure-Python packages and the
native library `libauki.so` (picked up from $AUKI_LIBRARY, `_auki/`, or `<repo>/build/native/`,
or built with `dotnet publish` from the checkout) into a platform wheel.
"""
import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent          # bindings/python
REPO = HERE.parent.parent                               # repository root (when building from a checkout)
LIBRARY = "libauki.so"


def _project():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11: read the two fields we need by hand
        text = (HERE / "pyproject.toml").read_text()
        fields = dict(line.split("=", 1) for line in text.splitlines() if line.startswith(("name =", "version =")))
        return {k.strip(): v.strip().strip('"') for k, v in fields.items()} | {"requires-python": ">=3.9"}
    with open(HERE / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def _packages():
    return sorted(p.name for p in HERE.iterdir() if (p / "__init__.py").is_file() and p.name != "build_backend")


def _find_library():
    candidates = [os.environ.get("AUKI_LIBRARY"), HERE / "_auki" / LIBRARY, REPO / "build" / "native" / LIBRARY]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    project = REPO / "native" / "Auki.Native.csproj"
    if project.is_file() and shutil.which("dotnet"):
        out = REPO / "build" / "native"
        print(f"auki-native: building {LIBRARY} with dotnet publish -> {out}", file=sys.stderr)
        subprocess.run(["dotnet", "publish", str(project), "-c", "Release", "-r", "linux-x64", "-o", str(out), "-nologo", "-v", "quiet"],
                       check=True, stdout=sys.stderr)
        return out / LIBRARY
    raise RuntimeError(f"auki-native: {LIBRARY} not found (set AUKI_LIBRARY, or build from a checkout with ./build.sh)")


def _tag():
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"py3-none-{platform}"


def _dist_name(project):
    return project["name"].replace("-", "_")


def _metadata(project):
    summary = project.get("description", "")
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}",
             f"Summary: {summary}", f"Requires-Python: {project.get('requires-python', '>=3.9')}"]
    return "\n".join(lines) + "\n"


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


# ---- PEP 517 hooks --------------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    name, version = _dist_name(project), project["version"]
    filename = f"{name}-{version}-{_tag()}.whl"
    dist_info = f"{name}-{version}.dist-info"
    files = []
    for package in _packages():
        for path in sorted((HERE / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc" and path.name != LIBRARY:
                files.append((path.relative_to(HERE).as_posix(), path.read_bytes()))
    files.append((f"_auki/{LIBRARY}", _find_library().read_bytes()))
    files.append((f"{dist_info}/METADATA", _metadata(project).encode()))
    wheel = f"Wheel-Version: 1.0\nGenerator: auki_build_backend\nRoot-Is-Purelib: false\nTag: {_tag()}\n"
    files.append((f"{dist_info}/WHEEL", wheel.encode()))
    files.append((f"{dist_info}/top_level.txt", ("\n".join(_packages()) + "\n").encode()))
    record = [_record_line(p, d) for p, d in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    os.makedirs(wheel_directory, exist_ok=True)
    with zipfile.ZipFile(Path(wheel_directory) / filename, "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if path.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return filename


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = f"{_dist_name(project)}-{project['version']}"
    os.makedirs(sdist_directory, exist_ok=True)
    with tarfile.open(Path(sdist_directory) / f"{base}.tar.gz", "w:gz") as tar:
        for path in sorted(HERE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.name != LIBRARY:
                tar.add(path, arcname=f"{base}/{path.relative_to(HERE).as_posix()}")
        pkg_info = _metadata(project).encode()
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(pkg_info)
        tar.addfile(info, io.BytesIO(pkg_info))
    return f"{base}.tar.gz"
