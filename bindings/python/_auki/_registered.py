"""What an upper package lends to a lower one, registered when the upper package is imported.

The packages import downward only (ARCHITECTURE.md, "Python packages"). Era A's
``Session.join_domain`` (``auki_session``) returns an ``auki_domain.Domain``, a class of the package
above it: importing ``auki_domain`` registers that class here, and ``auki_session`` finds it here.
"""

#: ``auki_domain.Domain`` once ``auki_domain`` has been imported, else ``None``.
domain = None
