"""A domain that spans two bridged brokers (docs/domains.md): a site broker bridged to a fleet
broker, the owner on one and the readers on the other. What a member sees must not depend on
which broker it is connected to: catalogs with their counters, registry fetches, streams of history
then live entries, and a materialized copy."""
import os

import pytest

from auki_domain import Domain, DomainConfig, ReadFrom
from auki_session import LogRef, Peer
from domain.support import Broker, Materializer, OwnerPeer, payload, read_log, wait_until

DOMAIN = "lab"
CAM = LogRef("galbot", "head_left_rgb")


@pytest.fixture
def brokers():
    fleet = Broker()
    site = Broker(bridge_to=fleet)
    yield fleet, site
    site.close()
    fleet.close()


@pytest.fixture
def owner_on_site(brokers, tmp_path):
    o = OwnerPeer(str(tmp_path / "galbot"), brokers[1].url, DOMAIN)
    yield o
    o.close()


@pytest.fixture
def member_on_fleet(brokers, tmp_path):
    peer = Peer("obs", "obs-app").with_storage_root(str(tmp_path / "obs"))
    session = peer.start_session()
    with Domain.join(peer, session, DomainConfig(DOMAIN, broker=brokers[0].url)) as domain:
        yield domain


def test_a_member_on_the_other_broker_sees_the_catalog_fetches_entries_and_streams(owner_on_site, member_on_fleet):
    domain = member_on_fleet
    owner_on_site.append(40)
    wait_until(lambda: "galbot" in domain.peers(), what="the owner's retained catalog across the bridge")
    rows = wait_until(lambda: [r for r in domain.fetch_resources_catalog("galbot") if r.available["entries"] == 40],
                      what="catalog with 40 entries across the bridge")
    sensor = rows[0].sensor
    assert domain.fetch_sensor_entry("galbot", sensor["sensor_id"], sensor["sensor_hash"])["kind"] == "camera"
    with domain.open_stream(CAM, ReadFrom.from_start()) as stream:
        got = [stream.next(10) for _ in range(40)]
        owner_on_site.append(10)
        got += [stream.next(10) for _ in range(10)]
    assert [e.payload for e in got] == [payload(i, 64) for i in range(50)]


def test_a_materializer_on_the_other_broker_copies_history_and_live_entries(brokers, owner_on_site, tmp_path):
    owner_on_site.append(100)
    m = Materializer(str(tmp_path / "park"), brokers[0].url, DOMAIN)
    try:
        assert m.log_root == os.path.join(str(tmp_path / "park"), "logs", "galbot", "head_left_rgb")
        wait_until(lambda: len(read_log(m.log_root)) == 100, what="history materialized across the bridge")
        owner_on_site.append(50)
        wait_until(lambda: len(read_log(m.log_root)) == 150, what="live entries materialized across the bridge")
        assert [p for _, p in read_log(m.log_root)] == [payload(i, 64) for i in range(150)]
    finally:
        m.kill()


def test_an_owner_that_leaves_disappears_from_the_other_brokers_view(owner_on_site, member_on_fleet):
    wait_until(lambda: "galbot" in member_on_fleet.peers(), what="the owner across the bridge")
    owner_on_site.close()  # leaves: its retained catalog is cleared on the site broker, and so across the bridge
    wait_until(lambda: "galbot" not in member_on_fleet.peers(), what="the owner gone across the bridge")
