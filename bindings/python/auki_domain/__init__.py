"""auki_domain — peers share catalogs and materialize each other's logs over an MQTT 5 broker (AukiNative).

Upstream's ``auki_domain`` needed a hand-built libp2p swarm; here a domain is a topic namespace on
an MQTT 5 broker (Debian's mosquitto on one box, a clustered broker at fleet scale), spoken by
libauki (docs/domains.md)::

    from auki_domain import Domain, DomainConfig, ReadFrom
    domain = Domain.join(peer, session, DomainConfig("lab", broker="mqtt://127.0.0.1:1883"))
    domain.peers()                                    # ['galbot', 'park']
    rows = domain.fetch_resources_catalog("galbot")   # [ResourceEntry(...)]
    for entry in domain.open_stream(rows[0], ReadFrom.from_start()):
        ...                                           # StreamEntry(timestamp_ns, seq, payload)
    session.materialize_remote_log(LogRef("galbot", "head_left_rgb"),
                                   retention_ns=300_000_000_000, segment_duration_ns=10_000_000_000)
    domain.leave()

``ResourceEntry``, ``ReadFrom`` and ``StreamRequest`` keep upstream's names, attributes and errors.
"""

from _auki.domain import CatalogEvent, CatalogWatch, Domain, DomainConfig, ReadFrom, ResourceEntry, Stream, StreamEntry, StreamRequest
from auki_session import SpatialTransform, decode_pose, encode_pose

__version__ = "0.1.0"

__all__ = [
    "Domain",
    "DomainConfig",
    "ResourceEntry",
    "ReadFrom",
    "StreamRequest",
    "Stream",
    "StreamEntry",
    "CatalogWatch",
    "CatalogEvent",
    "SpatialTransform",
    "encode_pose",
    "decode_pose",
]
