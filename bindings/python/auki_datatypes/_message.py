"""The base class of every auki message: betterproto 1.2.5's behaviour without betterproto.

What a program written against upstream relies on: keyword or positional construction, proto3
defaults (message fields default to empty instances, never None), `bytes(msg)` / `parse(data)`,
value equality, dataclass-style reprs, to_dict()/from_dict(), oneof groups, and the
serialized_on_wire flag that decides whether an empty sub-message is sent.
"""
import json

from . import _codec, _dict
from ._schema import MESSAGE as _MESSAGE_KIND

_MISSING = object()
# Bytes values longer than this are summarised in repr (a 6.9 MB frame would print ~20 MB).
_REPR_BYTES = 1024


class Message:
    __slots__ = ("_serialized_on_wire", "_unknown_fields", "_oneof_current")

    # Set once per class by _define_ (generated code): the field table and lookups derived from it.
    _full_name_ = ""
    _fields_ = ()
    _by_name_ = {}
    _by_number_ = {}
    _groups_ = {}

    @classmethod
    def _define_(cls, full_name, fields):
        cls._full_name_ = full_name
        cls._fields_ = tuple(sorted(fields, key=lambda f: f.number))
        cls._by_name_ = {f.name: f for f in fields}
        cls._by_number_ = {f.number: f for f in fields}
        groups = {}
        for f in fields:
            if f.oneof is not None:
                groups.setdefault(f.oneof, []).append(f)
        cls._groups_ = {g: tuple(fs) for g, fs in groups.items()}
        cls._init_order_ = tuple(fields)  # declaration order, for positional arguments and repr
        # For _blank_: fixed zeros, and factories for what must be a fresh object per instance.
        cls._zeros_ = tuple((f.name, f.zero) for f in fields if not f.repeated and f.kind != _MESSAGE_KIND)
        cls._fresh_ = tuple((f.name, f.default) for f in fields if f.repeated or f.kind == _MESSAGE_KIND)

    @classmethod
    def _blank_(cls):
        """A default instance without argument handling: the decoder's and __init__()'s fast path."""
        self = object.__new__(cls)
        put = object.__setattr__
        for name, zero in cls._zeros_:
            put(self, name, zero)
        for name, make in cls._fresh_:
            put(self, name, make())
        put(self, "_serialized_on_wire", False)
        put(self, "_unknown_fields", b"")
        put(self, "_oneof_current", None)
        return self

    def __new__(cls, *args, **kwargs):
        if args or kwargs:
            return object.__new__(cls)
        return cls._blank_()

    def __init__(self, *args, **kwargs):
        if not args and not kwargs:
            return  # __new__ already made the blank instance
        fields = self._init_order_
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes {len(fields)} positional arguments but {len(args)} were given")
        put = object.__setattr__
        given = bool(args)
        current = None
        for i, f in enumerate(fields):
            if i < len(args):
                value = args[i]
            else:
                value = kwargs.pop(f.name, _MISSING)
                if value is _MISSING:
                    put(self, f.name, f.default())
                    continue
                given = True
            put(self, f.name, value)
            if f.oneof is not None:  # betterproto: the last given member of a group is selected
                current = current or {}
                current[f.oneof] = f.name
        if kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword argument {next(iter(kwargs))!r}")
        put(self, "_serialized_on_wire", given)
        put(self, "_unknown_fields", b"")
        put(self, "_oneof_current", current)

    def __setattr__(self, name, value):
        f = self._by_name_.get(name)
        if f is None:
            if name in Message.__slots__:
                object.__setattr__(self, name, value)
                return
            raise AttributeError(f"{type(self).__name__!r} object has no field {name!r}")
        self._set_field(f, value)

    def _set_field(self, f, value):
        """Set a field as assignment does: marks the message set and selects f in its oneof."""
        put = object.__setattr__
        put(self, "_serialized_on_wire", True)
        if f.oneof is not None:
            for other in self._groups_[f.oneof]:
                if other is not f:
                    put(self, other.name, other.default())
            current = self._oneof_current
            if current is None:
                current = {}
                put(self, "_oneof_current", current)
            current[f.oneof] = f.name
        put(self, f.name, value)

    # ---- wire ----------------------------------------------------------------------------------

    def __bytes__(self):
        return _codec.encode(self)

    SerializeToString = __bytes__

    def parse(self, data):
        """Decode data (bytes, bytearray or memoryview) into this message and return it."""
        return _codec.decode_into(self, data)

    @classmethod
    def FromString(cls, data):
        return cls().parse(data)

    # ---- values --------------------------------------------------------------------------------

    def _values(self):
        return tuple(getattr(self, f.name) for f in self._init_order_)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # mutable, like a dataclass with eq

    def __repr__(self):
        parts = ", ".join(f"{f.name}={_repr_value(getattr(self, f.name))}" for f in self._init_order_)
        return f"{type(self).__name__}({parts})"

    # ---- dicts and JSON ------------------------------------------------------------------------

    def to_dict(self, casing=None, include_default_values=False):
        return _dict.to_dict(self, casing, include_default_values)

    def from_dict(self, value):
        return _dict.from_dict(self, value)

    def to_json(self, indent=None):
        return json.dumps(self.to_dict(), indent=indent)

    def from_json(self, value):
        return self.from_dict(json.loads(value))


def _repr_value(value):
    if isinstance(value, (bytes, bytearray)) and len(value) > _REPR_BYTES:
        return f"<{len(value)} bytes: {bytes(value[:16]).hex()}…>"
    return repr(value)


def serialized_on_wire(message):
    """True if the message was set or parsed (betterproto.serialized_on_wire)."""
    return message._serialized_on_wire


def which_one_of(message, group_name):
    """(field name, value) of the selected member of a oneof group, or ("", None)."""
    current = message._oneof_current
    name = current.get(group_name, "") if current else ""
    return (name, getattr(message, name)) if name else ("", None)
