"""Rust ``{:?}`` rendering of strings, used where upstream's reprs embed ``format!("{:?}", s)``.

Double quotes around the value; ``"`` ``\\`` ``\\n`` ``\\r`` ``\\t`` ``\\0`` escaped with a backslash;
any other non-printable character (controls, format characters, separators other than the
space, surrogates, private-use and unassigned code points) as ``\\u{hex}``.
"""

_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


def debug_str(value):
    """``format!("{:?}", value)`` for a Rust ``&str``."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return '"' + value + '"'
    out = ['"']
    for ch in value:
        short = _SHORT.get(ch)
        if short is not None:
            out.append(short)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append("\\u{%x}" % ord(ch))
    out.append('"')
    return "".join(out)
