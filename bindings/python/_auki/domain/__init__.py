"""The domain classes (``auki_domain``'s public names are these): kept in the shared layer because era
A's ``Session.join_domain`` (``auki_session``) returns a ``Domain`` too, and a package may only import
downward (ARCHITECTURE.md, "Python packages"). ``auki_domain`` is their public face."""

from ._domain import CatalogEvent, CatalogWatch, Domain, DomainConfig, Stream, StreamEntry
from ._read_from import ReadFrom, StreamRequest
from ._resource_entry import ResourceEntry
