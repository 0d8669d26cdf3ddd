"""Materialize galbot/head_left_rgb as peer "park" and keep running until killed.

Usage: materializer.py <root> <broker_url> <domain_id>; prints "materialized <local log dir>".
"""
import sys
import time

from auki_domain import Domain, DomainConfig
from auki_session import LogRef, Peer


def main():
    root, broker, domain_id = sys.argv[1:4]
    peer = Peer("park", "park-vis").with_storage_root(root)
    session = peer.start_session()
    # Generous budgets: the tests start this process while a broker restarts or the machine is loaded.
    Domain.join(peer, session, DomainConfig(domain_id, broker=broker, connect_timeout_s=20, request_timeout_s=20))
    handle = session.materialize_remote_log(LogRef("galbot", "head_left_rgb"),
                                            retention_ns=0, segment_duration_ns=1_000_000_000)
    print("materialized " + handle.root, flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
