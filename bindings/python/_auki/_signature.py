"""What ``help()`` and ``inspect.signature`` show for classes whose Python constructor has to be
generic (``*args, **kwargs``) to reproduce upstream's behaviour.

A class without a constructor (upstream's pyclasses with no ``#[new]``) has no signature, as
there: ``inspect.signature`` raises ``ValueError`` and ``help()`` shows none. A class that accepts
several upstream forms shows its newest one. The descriptor builds the signature on first use, so
importing a package does not import ``inspect``.
"""


class _NoSignature:
    def __get__(self, obj, cls=None):
        if obj is not None:  # instances have no __signature__ (hasattr() must stay False, not raise)
            raise AttributeError("__signature__")
        raise ValueError(f"no signature found for {cls.__name__}: it has no constructor")


class _SignatureOf:
    def __init__(self, function):
        self._function = function

    def __get__(self, obj, cls=None):
        if obj is not None:
            raise AttributeError("__signature__")
        import inspect

        return inspect.signature(self._function)


def _refuse(cls, *args, **kwargs):
    raise TypeError("No constructor defined")


def no_constructor(cls):
    """Give ``cls`` no constructor, as upstream's pyclasses without ``#[new]``: calling it raises
    ``TypeError("No constructor defined")`` and it shows no signature. Instances are made inside the
    bindings with ``object.__new__(cls)``; a subclass may define a constructor of its own."""
    cls.__new__ = staticmethod(_refuse)
    cls.__signature__ = _NoSignature()
    return cls


def signature_from(cls, function):
    """Show ``function``'s parameters as ``cls``'s constructor signature."""
    cls.__signature__ = _SignatureOf(function)
    return cls


def build(cls, **slots):
    """An instance of a class without a constructor, with these slots set: how the bindings make one."""
    obj = object.__new__(cls)
    for name, value in slots.items():
        setattr(obj, name, value)
    return obj
