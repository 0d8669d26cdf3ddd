"""``HeadSpec``: what the catalog says about a log's head — rolling (bounded by a retention) or fixed."""

from _auki._convert import i64
from _auki._signature import build, no_constructor


@no_constructor
class HeadSpec:
    """Build one with ``HeadSpec.rolling(retention_ns)`` or ``HeadSpec.fixed()``; there is no constructor."""

    __slots__ = ("_spec", "_repr")

    @staticmethod
    def rolling(retention_ns):
        """A rolling head keeping ``retention_ns`` nanoseconds (an ``int``, i64)."""
        retention_ns = i64(retention_ns, "retention_ns")
        return _make({"kind": "rolling", "retention_ns": retention_ns}, f"HeadSpec.rolling({retention_ns})")

    @staticmethod
    def fixed():
        """A fixed head: a recording that keeps everything from its start."""
        return _make({"kind": "fixed"}, "HeadSpec.fixed()")

    def __repr__(self):
        return self._repr


HeadSpec.__module__ = "auki_session"


def _make(spec, text):
    return build(HeadSpec, _spec=spec, _repr=text)
