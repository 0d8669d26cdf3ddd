"""The test checklist of the Roboto reference (``roboto-sessions.md`` section 6.5), one test per item,
through ``auki_data`` on a store recorded with ``auki_session``."""
import pytest

import auki_data
from auki_data import NotFoundError
from auki_data import sessions as sessions_module
from auki_data.sessions import Session, SessionFile

from activity_support import Recording


@pytest.fixture
def store(tmp_path):
    return auki_data.Store(tmp_path)


@pytest.fixture
def galbot(store):
    return Recording(store.storage_root, "galbot")


def new(store, name=None):
    return Session.create(name=name, store=store)


def bounds(session):
    return session.min_timestamp_ns, session.max_timestamp_ns


# ---- names -----------------------------------------------------------------------------------------


def test_name_of_120_characters_is_accepted(store):
    name = "é" * 120  # code points, not bytes
    assert Session.create(name=name, store=store).name == name


def test_name_of_121_characters_is_refused_and_nothing_is_created(store):
    with pytest.raises(ValueError, match="at most 120"):
        Session.create(name="a" * 121, store=store)
    with pytest.raises(ValueError, match="at most 120"):
        new(store, "a").update(name="a" * 121)
    assert [s.name for s in Session.for_org(store=store)] == ["a"]


def test_update_with_none_clears_the_name(store):
    session = new(store, "flight 1").update(name=None)
    assert session.name is None
    assert Session.from_id(session.session_id, store=store).name is None


def test_update_without_name_leaves_it_unchanged(store):
    session = new(store, "flight 1")
    assert session.update().name == "flight 1"
    assert session.update(name=auki_data.NotSet).name == "flight 1"
    assert Session.from_id(session.session_id, store=store).name == "flight 1"


# ---- windows ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("window", [{"range_min_timestamp_ns": 5}, {"range_max_timestamp_ns": 5}])
def test_half_open_window_is_refused_both_ways(store, galbot, window):
    cam = galbot.log("cam", [1, 2])
    with pytest.raises(ValueError, match="together"):
        SessionFile(cam, **window)
    session = new(store)
    with pytest.raises(ValueError, match="together"):
        session.add_file(cam, **window)
    assert list(session.list_files()) == []


def test_window_with_min_greater_than_max_is_refused(store, galbot):
    cam = galbot.log("cam", [1, 2])
    with pytest.raises(ValueError, match="must be <="):
        new(store).add_file(cam, range_min_timestamp_ns=6, range_max_timestamp_ns=5)


def test_window_with_min_equal_to_max_is_accepted(store, galbot):
    cam = galbot.log("cam", [1, 2])
    session = new(store).add_file(cam, range_min_timestamp_ns=5, range_max_timestamp_ns=5)
    assert bounds(session) == (5, 5)


# ---- bounds ----------------------------------------------------------------------------------------


def test_bounds_are_none_on_an_empty_session(store):
    session = new(store)
    assert bounds(session) == (None, None)
    assert session.record["min_timestamp_ns"] is None


def test_bounds_after_a_whole_file_add_are_its_data_extent(store, galbot):
    cam = galbot.log("cam", [100, 200, 300])
    session = new(store).add_file(cam)
    assert bounds(session) == (100, 300)
    assert (session.record["min_timestamp_ns"], session.record["max_timestamp_ns"]) == (100, 300)


def test_bounds_after_a_windowed_add_are_the_window_as_stated(store, galbot):
    cam = galbot.log("cam", [100, 200, 300])
    session = new(store).add_file(cam, range_min_timestamp_ns=50, range_max_timestamp_ns=250)
    assert bounds(session) == (50, 250)  # not intersected with the data, as in Roboto


def test_bounds_after_mixed_adds_span_every_contribution(store, galbot):
    cam, imu = galbot.log("cam", [100, 200, 300]), galbot.log("imu", [10, 900])
    session = new(store).add_files([SessionFile(cam), SessionFile(imu, 400, 500)])
    assert bounds(session) == (100, 500)


def test_bounds_after_removing_the_extreme_contributor_shrink(store, galbot):
    cam, imu = galbot.log("cam", [100, 200, 300]), galbot.log("imu", [10, 900])
    session = new(store).add_files([SessionFile(cam), SessionFile(imu)])
    assert bounds(session) == (10, 900)
    assert bounds(session.remove_file(imu)) == (100, 300)


def test_bounds_after_removing_everything_are_none(store, galbot):
    cam, imu = galbot.log("cam", [100]), galbot.log("imu", [10])
    session = new(store).add_files([SessionFile(cam), SessionFile(imu)]).remove_files([cam, imu])
    assert bounds(session) == (None, None)


# ---- composition rules -------------------------------------------------------------------------


def test_add_with_an_unknown_file_leaves_the_composition_untouched(store, galbot):
    cam, imu = galbot.log("cam", [1]), galbot.log("imu", [2])
    session = new(store).add_file(cam)
    with pytest.raises(NotFoundError, match="unknown file"):
        session.add_files([SessionFile(imu), SessionFile(f"{galbot.boot_session_id}/logs/galbot/nope")])
    assert [v.file_id for v in session.list_files()] == [cam]


def test_duplicate_file_id_in_one_request_is_refused(store, galbot):
    cam = galbot.log("cam", [1])
    session = new(store)
    with pytest.raises(ValueError, match="named twice"):
        session.add_files([SessionFile(cam), SessionFile(cam, 1, 1)])
    assert list(session.list_files()) == []


def test_re_adding_a_held_file_replaces_its_window(store, galbot):
    cam = galbot.log("cam", [100, 200, 300])
    session = new(store).add_file(cam, range_min_timestamp_ns=100, range_max_timestamp_ns=150)
    session.add_file(cam, range_min_timestamp_ns=250, range_max_timestamp_ns=300)
    (view,) = session.list_files()
    assert (view.range_min_timestamp_ns, view.range_max_timestamp_ns) == (250, 300)
    assert bounds(session.add_file(cam)) == (100, 300)  # and back to the whole file


def test_remove_files_skips_ids_the_session_does_not_hold(store, galbot):
    cam, imu = galbot.log("cam", [1]), galbot.log("imu", [2])
    session = new(store).add_files([SessionFile(cam), SessionFile(imu)])
    session.remove_files([cam, "logs/galbot/never-added"])
    assert [v.file_id for v in session.list_files()] == [imu]


def test_remove_file_of_a_file_not_held_raises_not_found_and_changes_nothing(store, galbot):
    cam = galbot.log("cam", [1])
    session = new(store).add_file(cam)
    with pytest.raises(NotFoundError, match="not part of session"):
        session.remove_file("logs/galbot/never-added")
    assert [v.file_id for v in session.list_files()] == [cam]


def test_delete_cascades_to_links_only(store, galbot):
    cam = galbot.log("cam", [1])
    session = Session.create(device_ids=["galbot"], store=store).add_file(cam)
    session.delete()
    with pytest.raises(NotFoundError):
        Session.from_id(session.session_id, store=store)
    assert list(Session.for_device("galbot", store=store)) == []
    # the data and the peer are untouched: a new session can hold the same file and device
    again = Session.create(device_ids=["galbot"], store=store).add_file(cam)
    assert bounds(again) == (1, 1)


def test_attach_of_an_unknown_peer_raises_not_found(store, galbot):
    session = new(store)
    with pytest.raises(NotFoundError, match='unknown device "ghost"'):
        session.attach_to_device("ghost")
    with pytest.raises(NotFoundError, match='unknown device "ghost"'):
        Session.create(device_ids=["ghost"], store=store)
    assert list(session.list_devices()) == []


def test_attach_twice_is_a_no_op_and_detach_of_a_stranger_too(store, galbot):
    Recording(store.storage_root, "park")
    session = new(store)
    session.attach_to_device("galbot")
    session.attach_to_device("galbot")
    session.detach_from_device("park")
    assert list(session.list_devices()) == ["galbot"]


# ---- topics ------------------------------------------------------------------------------------------


def test_list_topics_dedups_a_log_contributed_by_two_files(store, galbot):
    second = Recording(store.storage_root, "galbot")  # the same sensor log in a later boot session
    session = new(store).add_files([SessionFile(galbot.log("cam", [1, 2])), SessionFile(second.log("cam", [3]))])
    assert [t.topic_id for t in session.list_topics()] == ["galbot/cam"]


def test_list_topics_excludes_a_log_whose_extent_misses_the_contribution_window(store, galbot):
    cam, imu = galbot.log("cam", [100, 200]), galbot.log("imu", [100, 200])
    session = new(store).add_files([SessionFile(cam, 150, 160), SessionFile(imu, 201, 300)])
    assert [t.topic_id for t in session.list_topics()] == ["galbot/cam"]


def test_list_topics_orders_by_name_then_topic_id(store, galbot):
    park = Recording(store.storage_root, "park")
    files = [park.log("imu", [1]), park.log("cam", [1]), galbot.log("imu", [1]), galbot.log("cam", [1])]
    session = new(store).add_files([SessionFile(f) for f in files])
    topics = list(session.list_topics())
    assert [(t.name, t.topic_id) for t in topics] == [
        ("cam", "galbot/cam"), ("cam", "park/cam"), ("imu", "galbot/imu"), ("imu", "park/imu"),
    ]
    assert (topics[1].source_peer_id, topics[1].resource_id) == ("park", "cam")


def test_get_topic_of_an_existing_log_outside_the_window_raises_not_found(store, galbot):
    cam, imu = galbot.log("cam", [100]), galbot.log("imu", [100])
    session = new(store).add_files([SessionFile(cam), SessionFile(imu, 500, 600)])
    assert session.get_topic("cam").topic_id == "galbot/cam"
    with pytest.raises(NotFoundError, match='topic "imu" has no data'):
        session.get_topic("imu")
    with pytest.raises(NotFoundError):
        session.get_topic("lidar")  # not in the store at all


# ---- reads and pages -----------------------------------------------------------------------------


def test_session_scoped_read_clips_a_partially_held_file(store, galbot):
    cam = galbot.log("cam", [100, 200, 300, 400, 500])
    session = new(store).add_file(cam, range_min_timestamp_ns=200, range_max_timestamp_ns=400)
    assert [e.timestamp_ns for e in session.get_data("galbot/cam")] == [200, 300, 400]
    assert [e.timestamp_ns for e in session.get_data("cam", start_ns=250, end_ns=1000)] == [300, 400]


def test_pagination_returns_every_item_exactly_once_across_page_boundaries(store, galbot, monkeypatch):
    monkeypatch.setattr(sessions_module, "PAGE_SIZE", 2)
    files = [galbot.log(f"s{i}", [i + 1]) for i in range(5)]
    created = [Session.create(device_ids=["galbot"], store=store).session_id for _ in range(5)]
    session = Session.from_id(created[0], store=store).add_files([SessionFile(f) for f in files])
    assert sorted(s.session_id for s in Session.for_org(store=store)) == sorted(created)
    assert len(list(Session.for_org(store=store))) == 5
    assert sorted(s.session_id for s in Session.for_device("galbot", store=store)) == sorted(created)
    assert [v.file_id for v in session.list_files()] == sorted(files)
    assert [t.name for t in session.list_topics()] == [f"s{i}" for i in range(5)]


def test_list_topics_is_lazy_and_asks_the_library_once_per_page(store, galbot, monkeypatch):
    monkeypatch.setattr(sessions_module, "PAGE_SIZE", 2)
    session = new(store).add_files([SessionFile(galbot.log(f"s{i}", [i + 1])) for i in range(5)])
    real = sessions_module.lib.auki_activity_list_topics
    tokens = []

    def counted(root, session_id, token, limit, out):
        tokens.append((token, limit))
        return real(root, session_id, token, limit, out)

    monkeypatch.setattr(sessions_module.lib, "auki_activity_list_topics", counted)
    topics = session.list_topics()
    assert [next(topics).name, next(topics).name] == ["s0", "s1"]
    assert len(tokens) == 1
    assert [t.name for t in topics] == ["s2", "s3", "s4"]
    assert [limit for _, limit in tokens] == [2, 2, 2]
    assert tokens[0][0] is None and None not in [token for token, _ in tokens[1:]]
