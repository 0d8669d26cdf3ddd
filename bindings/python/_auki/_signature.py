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


def no_constructor(cls):
    """Mark ``cls`` as having no constructor signature (its ``__new__`` raises ``TypeError``)."""
    cls.__signature__ = _NoSignature()
    return cls


def signature_from(cls, function):
    """Show ``function``'s parameters as ``cls``'s constructor signature."""
    cls.__signature__ = _SignatureOf(function)
    return cls
