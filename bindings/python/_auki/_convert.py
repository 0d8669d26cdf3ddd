"""Argument checks with the exception types and texts PyO3 produced for upstream's bindings.

PyO3 converts each argument before a method body runs: a value of the wrong type is a
``TypeError("argument 'name': ...")``, an integer out of range an ``OverflowError`` (with
CPython's text, not prefixed). Reproducing that here keeps ``except`` clauses written against
upstream working. ``name=None`` checks a value that is not a call argument (no prefix).
"""
import json


def _type_error(name, message):
    return TypeError(message if name is None else f"argument '{name}': {message}")


def _cannot_convert(value, target, name):
    return _type_error(name, f"'{type(value).__name__}' object cannot be converted to '{target}'")


def string(value, name=None):
    """A ``str`` (PyO3 ``String``/``&str``)."""
    if isinstance(value, str):
        return value
    raise _cannot_convert(value, "PyString", name)


def optional_string(value, name=None):
    """``None`` or a ``str`` (PyO3 ``Option<String>``)."""
    return None if value is None else string(value, name)


def boolean(value, name=None):
    """A real ``bool`` (PyO3 ``bool``: ints are refused)."""
    if value is True or value is False:
        return value
    raise _cannot_convert(value, "PyBool", name)


def instance(value, cls, name=None):
    """An instance of the (pyclass-like) ``cls``."""
    if isinstance(value, cls):
        return value
    raise _cannot_convert(value, cls.__name__, name)


def _integer(value, name):
    if type(value) is int:
        return value
    from operator import index  # only for non-int values; keeps import time down

    try:
        return index(value)
    except TypeError as e:
        raise _type_error(name, str(e)) from None


def u64(value, name=None):
    """An ``int`` in ``0..2**64`` (PyO3 ``u64``)."""
    value = _integer(value, name)
    if value < 0 or value >> 64:
        # CPython's own texts: "can't convert negative int to unsigned" / "int too big to convert".
        value.to_bytes(8, "little", signed=False)
    return value


def i64(value, name=None):
    """An ``int`` in ``-2**63..2**63`` (PyO3 ``i64``)."""
    value = _integer(value, name)
    if not -(1 << 63) <= value < (1 << 63):
        value.to_bytes(8, "little", signed=True)  # raises OverflowError("int too big to convert")
    return value


def u32(value, name=None):
    """An ``int`` in ``0..2**32`` (PyO3 ``u32``: read as a C long, then narrowed)."""
    value = _integer(value, name)
    if not -(1 << 63) <= value < (1 << 63):
        raise OverflowError("Python int too large to convert to C long")
    if not 0 <= value < (1 << 32):
        raise OverflowError("out of range integral type conversion attempted")
    return value


def fspath(value, name=None):
    """A path given as ``str`` or ``os.PathLike``, returned as ``str``."""
    if isinstance(value, str):
        return value
    if hasattr(type(value), "__fspath__"):
        import os

        path = os.fspath(value)
        return path if isinstance(path, str) else os.fsdecode(path)
    raise _cannot_convert(value, "PyString", name)


def given(*fields):
    """The optional arguments that were given, converted: ``{name: convert(value, name)}`` for each
    ``(name, value, convert)`` whose value is not ``None``, in order (so the first bad one is named)."""
    return {name: convert(value, name) for name, value, convert in fields if value is not None}


def duck_fields(obj, fields):
    """Read ``fields`` of a ref given as any object: ``getattr(obj, f)``, else ``obj[f]``; each a ``str``.

    Upstream's rule: a ``RegistryRef``/``LogRef``, a dict, a ``SimpleNamespace``... all work.
    A dict missing a key raises ``KeyError``; a value that is not a ``str`` raises ``TypeError``.
    """
    values = []
    for field in fields:
        try:
            value = getattr(obj, field)
        except Exception:
            value = obj[field]
        values.append(string(value))
    return values


def log_ref_json(log_ref):
    """The UTF-8 JSON ``{"source_peer_id", "resource_id"}`` that libauki takes for a log reference
    given as a ``LogRef``, a dict or any object with those fields (``duck_fields``' rules)."""
    source_peer_id, resource_id = duck_fields(log_ref, ("source_peer_id", "resource_id"))
    return json.dumps({"source_peer_id": source_peer_id, "resource_id": resource_id}).encode("utf-8")
