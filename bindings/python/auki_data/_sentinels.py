"""``NotSet``: "leave this field as it is" (Roboto's ``roboto.sentinels.NotSet``), distinct from
``None``, which clears."""


class NotSetType:
    """The type of :data:`NotSet`; there is exactly one instance."""

    __slots__ = ()
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "NotSet"

    def __bool__(self):
        return False

    def __reduce__(self):
        return (NotSetType, ())


NotSet = NotSetType()
