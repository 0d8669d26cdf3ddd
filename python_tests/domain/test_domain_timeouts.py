"""Every blocking domain call keeps its time bound (docs/domains.md, "Failure behaviour"): with the broker
frozen (SIGSTOP: the connection still looks alive, nothing answers) each call returns within
request_timeout_s with TimeoutError, and a wait of any size is accepted (capped, never an internal error)."""
import signal
import time

import pytest

from auki_domain import Domain, DomainConfig, ReadFrom
from auki_session import LogRef, Peer

DOMAIN = "lab"
CAM = LogRef("galbot", "head_left_rgb")
BUDGET = 1.0
MARGIN = 0.6


def _within_budget(name, call, expect=TimeoutError):
    started = time.monotonic()
    if expect is None:
        call()
    else:
        with pytest.raises(expect):
            call()
    took = time.monotonic() - started
    assert took < BUDGET + MARGIN, f"{name} took {took:.2f} s with request_timeout_s={BUDGET}"


def test_with_the_broker_frozen_every_blocking_call_fails_within_its_timeout(broker, owner, tmp_path):
    owner.append(3)
    peer = Peer("obs", "obs-app").with_storage_root(str(tmp_path / "obs"))
    session = peer.start_session()
    # keep-alive 30 s: MQTTnet would only notice the dead broker after 45 s; the calls must not wait for that.
    config = DomainConfig(DOMAIN, broker=broker.url, request_timeout_s=BUDGET, connect_timeout_s=BUDGET, keep_alive_s=30)
    domain = Domain.join(peer, session, config)
    assert domain.peers() == ["galbot", "obs"]
    broker.process.send_signal(signal.SIGSTOP)
    try:
        _within_budget("peers", domain.peers)
        _within_budget("fetch_resources_catalog", lambda: domain.fetch_resources_catalog("galbot"))
        _within_budget("watch_catalog", domain.watch_catalog)
        _within_budget("fetch_registry_entry", lambda: domain.fetch_sensor_entry("galbot", "head_left_rgb", "0" * 32))
        _within_budget("open_stream", lambda: domain.open_stream(CAM, ReadFrom.from_start()))
        _within_budget("materialize_remote_log",
                       lambda: session.materialize_remote_log(CAM, retention_ns=0, segment_duration_ns=1_000_000_000))
        _within_budget("resolve_static_transform", lambda: session.resolve_static_transform(LogRef("galbot", "world->head")))
        other = Peer("late", "late-app").with_storage_root(str(tmp_path / "late"))
        _within_budget("join", lambda: Domain.join(other, other.start_session(), config))
        _within_budget("leave", domain.leave, expect=None)
    finally:
        broker.process.send_signal(signal.SIGCONT)


def test_waits_of_any_size_are_accepted_and_capped(broker, owner, tmp_path):
    owner.append(2)
    peer = Peer("obs", "obs-app").with_storage_root(str(tmp_path / "obs"))
    session = peer.start_session()
    # 4e6 s is more than any wait primitive takes (~24.8 days): libauki caps it instead of failing.
    with Domain.join(peer, session, DomainConfig(DOMAIN, broker=broker.url, request_timeout_s=4e6)) as domain:
        with domain.open_stream(CAM, ReadFrom.from_start()) as stream:
            assert stream.next(timeout=1e12).seq == 0
            assert stream.next(timeout=float("inf")).seq == 1
        watch = domain.watch_catalog()
        assert watch.next(timeout=1e12).event == "added"
        watch.close()
