"""to_dict()/from_dict() as betterproto 1.2.5 writes and reads them: camelCase keys by default,
default values left out, 64-bit integers as strings, bytes as base64, sub-messages only when set.
"""
import base64
import re

from . import _schema as S


class Casing:
    """Key casings for to_dict (betterproto.Casing): plain functions of the field name."""

    @staticmethod
    def CAMEL(name):
        # stringcase.camelcase, which betterproto uses: drop one leading separator, upper-case the
        # letter after each '_', '-', '.' or space.
        name = re.sub(r"^[\-_.]", "", name)
        if not name:
            return name
        return name[0].lower() + re.sub(r"[\-_.\s]([a-z])", lambda m: m.group(1).upper(), name[1:])

    @staticmethod
    def SNAKE(name):
        # stringcase.snakecase
        name = re.sub(r"[\-.\s]", "_", name)
        if not name:
            return name
        return name[0].lower() + re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), name[1:])


def to_dict(msg, casing, include_default_values):
    casing = casing or Casing.CAMEL
    out = {}
    for f in msg._init_order_:
        v = getattr(msg, f.name)
        key = casing(f.name).rstrip("_")
        if f.kind == S.MESSAGE:
            if f.repeated:
                items = [i.to_dict(casing, include_default_values) for i in v]
                if items or include_default_values:
                    out[key] = items
            elif v._serialized_on_wire or include_default_values:
                out[key] = v.to_dict(casing, include_default_values)
        elif include_default_values or v != f.default():
            if f.kind in S.INT64_KINDS:
                out[key] = [str(n) for n in v] if f.repeated else str(v)
            elif f.kind == S.BYTES:
                out[key] = [_b64(b) for b in v] if f.repeated else _b64(v)
            else:
                out[key] = list(v) if f.repeated else v
    return out


def _b64(value):
    return base64.b64encode(value).decode("utf8")


def from_dict(msg, value):
    object.__setattr__(msg, "_serialized_on_wire", True)
    by_name = msg._by_name_
    for key, v in value.items():
        f = by_name.get(Casing.SNAKE(key))
        if f is None or v is None:
            continue  # betterproto ignores keys it does not know
        if f.kind == S.MESSAGE:
            if f.repeated:
                v = [f.message().from_dict(item) for item in v]
            else:
                v = f.message().from_dict(v)
        elif f.kind in S.INT64_KINDS:
            v = [int(n) for n in v] if f.repeated else int(v)
        elif f.kind == S.BYTES:
            v = [base64.b64decode(n) for n in v] if f.repeated else base64.b64decode(v)
        elif f.repeated:
            v = list(v)
        msg._set_field(f, v)
    return msg
