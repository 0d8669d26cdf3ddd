"""auki_data activity sessions beyond the checklist: processes, two peers, partial and growing
logs, the data reader, and the Python surface (Store, errors, values returned)."""
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

import auki_data
from auki_data import NotFoundError, NotSet, Store, create_session, use_store
from auki_data.sessions import Entry, Session, SessionFile, SessionFileView, Topic

from activity_support import Recording, write_entries, write_timestamps
import paths

HERE = str(paths.TESTS)  # activity_support.py lives there
BINDINGS = str(paths.BINDINGS)


def helper(*args):
    """Start ``activity_support.py`` in a new Python process."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([BINDINGS, HERE]))
    return subprocess.Popen([sys.executable, os.path.join(HERE, "activity_support.py"), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process):
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path)


@pytest.fixture
def galbot(store):
    return Recording(store.storage_root, "galbot")


# ---- across processes ---------------------------------------------------------------------------


def test_a_session_created_in_one_process_is_read_in_another(store, galbot):
    cam = galbot.log("cam", [10, 20])
    session_id = finish(helper("create", store.storage_root, "flight 7")).strip()
    finish(helper("add", store.storage_root, session_id, cam))
    shown = json.loads(finish(helper("show", store.storage_root, session_id)))
    assert shown == {"name": "flight 7", "files": [cam], "min": 10, "max": 20}
    assert Session.from_id(session_id, store=store).name == "flight 7"
    path = os.path.join(store.storage_root, "activity_sessions", session_id + ".json")
    assert os.path.isfile(path)


def test_two_processes_adding_to_one_session_lose_no_update(store, galbot, tmp_path):
    files = [galbot.log(f"s{i:03d}", [i + 1]) for i in range(100)]
    session = Session.create(name="race", store=store)
    go = str(tmp_path / "go")
    first = helper("add", "--after", go, store.storage_root, session.session_id, *files[0::2])
    second = helper("add", "--after", go, store.storage_root, session.session_id, *files[1::2])
    assert first.stdout.readline().strip() == "ready" and second.stdout.readline().strip() == "ready"
    open(go, "w").close()  # both are loaded and waiting: start them together
    finish(first)
    finish(second)
    assert sorted(v.file_id for v in session.list_files()) == sorted(files)
    assert Session.from_id(session.session_id, store=store).record["file_count"] == 100
    assert (session.min_timestamp_ns, session.max_timestamp_ns) == (1, 100)


# ---- two peers ------------------------------------------------------------------------------------


def test_a_session_over_logs_of_two_peers(store, galbot):
    park = Recording(store.storage_root, "park")
    session = create_session("galbot", name="formation", store=store)
    session.attach_to_device("park")
    session.add_files([SessionFile(galbot.log("cam", [100, 300])), SessionFile(park.log("cam", [200, 400])),
                       SessionFile(park.log("imu", [250]))])
    assert list(session.list_devices()) == ["galbot", "park"]
    assert [t.topic_id for t in session.list_topics()] == ["galbot/cam", "park/cam", "park/imu"]
    assert [e.timestamp_ns for e in session.get_data("park/cam")] == [200, 400]
    # by name: both peers' "cam" logs, merged in time order
    assert [e.timestamp_ns for e in session.get_data("cam")] == [100, 200, 300, 400]
    with pytest.raises(ValueError, match="several peers"):
        session.get_topic("cam")
    assert [s.session_id for s in Session.for_device("park", store=store)] == [session.session_id]
    assert (session.min_timestamp_ns, session.max_timestamp_ns) == (100, 400)


# ---- data ------------------------------------------------------------------------------------------


def test_get_data_over_a_partially_held_log(store, galbot):
    later = Recording(store.storage_root, "galbot")
    first = galbot.log("cam", [100, 200, 300, 400])
    second = later.log("cam", [150, 250, 350])
    session = Session.create(store=store).add_file(first, 200, 300).add_file(second)
    topic = session.get_topic("galbot/cam")
    entries = list(topic.get_entries())  # raw entries; get_data decodes (these payloads are not CameraFrames)
    assert [e.timestamp_ns for e in entries] == [150, 200, 250, 300, 350]
    assert all(int.from_bytes(e.payload, "little") == e.timestamp_ns for e in entries)
    assert [ts for ts, _ in session.get_data(topic, start_ns=200, end_ns=299)] == [200, 250]
    assert [e.timestamp_ns for e in session.get_data(topic, start_ns=260)] == [300, 350]


def test_get_data_yields_entries_that_read_and_print_as_pairs(store, galbot):
    cam = galbot.log("cam", entries=[(5, b"hello"), (6, b""), (7, bytes(range(256)))])
    entries = list(Session.create(store=store).add_file(cam).get_data("cam"))
    assert entries == [Entry(5, b"hello"), Entry(6, b""), Entry(7, bytes(range(256)))]
    assert repr(entries[0]) == "Entry(timestamp_ns=5, payload=<5 bytes>)"
    ts, payload = entries[0]
    assert (ts, payload) == (5, b"hello")


def test_get_data_reads_many_batches_and_payloads_larger_than_a_batch(store, galbot):
    big = os.urandom(3 << 20)
    entries = [(i, i.to_bytes(4, "little")) for i in range(10_000)] + [(20_000, big), (20_001, b"x")]
    cam = galbot.log("cam", entries=entries)
    got = list(Session.create(store=store).add_file(cam).get_data("galbot/cam"))
    assert len(got) == len(entries)
    assert got[-2] == (20_000, big) and got[-1] == (20_001, b"x")
    assert got[:10_000] == entries[:10_000]


def test_get_data_reads_a_payload_larger_than_the_read_buffer(store, galbot):
    # The core cursor reads a file 1 MiB at a time (LogCursor.BufferSize): this payload spans
    # several buffer-fulls, and the entries around it come back too.
    big = os.urandom((4 << 20) + 1)
    cam = galbot.log("cam", entries=[(1, b"a"), (2, big), (3, b"c")])
    got = list(Session.create(store=store).add_file(cam).get_data("galbot/cam"))
    assert got == [(1, b"a"), (2, big), (3, b"c")]


def test_session_entries_are_log_entries_that_also_act_as_namedtuples(store, galbot):
    import pickle

    import auki_logs

    cam = galbot.log("cam", entries=[(5, b"hello"), (6, b"")])
    first, second = Session.create(store=store).add_file(cam).get_data("cam")
    assert isinstance(first, auki_logs.Entry) and isinstance(first, Entry)
    assert (first.timestamp_ns, first.payload) == (5, b"hello")
    assert first[0] == 5 and first[-1] == b"hello" and first[:] == (5, b"hello") and len(first) == 2
    assert first == (5, b"hello") and first != second and first < second and sorted([second, first]) == [first, second]
    assert {first, Entry(5, b"hello")} == {first}
    assert Entry._fields == ("timestamp_ns", "payload")
    assert first._asdict() == {"timestamp_ns": 5, "payload": b"hello"}
    assert first._replace(payload=b"x") == Entry(5, b"x")
    assert Entry(timestamp_ns=7, payload=b"y") == (7, b"y")
    assert pickle.loads(pickle.dumps(first)) == first
    with pytest.raises(AttributeError):
        first.payload = b"other"
    with pytest.raises(TypeError):
        auki_logs.Entry(5, b"hello")  # upstream's Entry still has no constructor


def test_get_data_checks_its_arguments_before_iteration(store, galbot):
    session = Session.create(store=store).add_file(galbot.log("cam", [1]))
    with pytest.raises(NotFoundError, match='topic "lidar" has no data'):
        session.get_data("lidar")
    with pytest.raises(ValueError, match="must be <="):
        session.get_data("cam", start_ns=5, end_ns=4)
    with pytest.raises(ValueError, match="start_ns must be an int"):
        session.get_data("cam", start_ns=1.5)
    with pytest.raises(ValueError, match="64-bit"):
        session.get_data("cam", end_ns=2**64)


def test_bounds_and_data_follow_a_log_that_grows_after_it_was_added(store, galbot):
    cam = galbot.log("cam", [100])
    session = Session.create(store=store).add_file(cam)
    assert session.max_timestamp_ns == 100
    write_timestamps(os.path.join(store.storage_root, cam), [200, 2_500_000_000])
    assert (session.min_timestamp_ns, session.max_timestamp_ns) == (100, 2_500_000_000)
    assert [e.timestamp_ns for e in session.get_data("cam")] == [100, 200, 2_500_000_000]


def test_add_recording_takes_every_log_of_a_boot_session(store, galbot):
    cam, imu = galbot.log("cam", [1]), galbot.log("imu", [2])
    Recording(store.storage_root, "galbot").log("cam", [3])
    session = Session.create(store=store).add_recording(galbot.boot_session_id)
    assert sorted(v.file_id for v in session.list_files()) == sorted([cam, imu])
    with pytest.raises(NotFoundError, match="unknown recording"):
        session.add_recording("01J99999999999999999999999")


# ---- views, records and the Python surface ---------------------------------------------------


def test_list_files_yields_views_with_projections(store, galbot):
    cam = galbot.log("cam", [100, 200])
    session = Session.create(store=store).add_file(cam, 150, 160)
    (view,) = session.list_files()
    assert isinstance(view, SessionFileView)
    assert (view.file_id, view.name, view.relative_path) == (cam, "cam", cam)
    assert (view.range_min_timestamp_ns, view.range_max_timestamp_ns) == (150, 160)
    assert (view.min_timestamp_ns, view.max_timestamp_ns) == (100, 200)
    assert view.size == 16 + 2 * (12 + 8)
    assert (view.source_peer_id, view.resource_id, view.topic_id) == ("galbot", "cam", "galbot/cam")
    assert view.boot_session_id == galbot.boot_session_id
    assert view.added.tzinfo is timezone.utc and view.modified.tzinfo is timezone.utc
    assert view.added_by == session.created_by


def test_composition_methods_return_self_with_a_refreshed_record(store, galbot):
    cam = galbot.log("cam", [100, 200])
    session = Session.create(name="x", store=store)
    before = session.modified
    returned = session.add_file(cam)
    assert returned is session
    assert session.record["file_count"] == 1
    assert session.record["max_timestamp_ns"] == 200
    assert session.modified >= before
    assert session.remove_files([cam]) is session and session.record["file_count"] == 0
    assert session.update(name="y") is session and session.name == "y"


def test_records_carry_times_and_actors(store):
    session = Session.create(name="t", store=store)
    now = datetime.now(timezone.utc)
    assert session.session_id.startswith("ss_") and len(session.session_id) == 29
    assert session.created.tzinfo is timezone.utc
    assert abs((now - session.created).total_seconds()) < 3600
    assert session.created_by and session.modified_by == session.created_by
    assert json.loads(repr(session))["session_id"] == session.session_id
    assert set(session.record) == {"session_id", "name", "description", "tags", "metadata", "device_ids",
                                   "device_unix_offsets_ns", "file_count", "created_ns", "created_by",
                                   "modified_ns", "modified_by", "min_timestamp_ns", "max_timestamp_ns"}


def test_topics_carry_their_identity_and_read_in_their_session(store, galbot):
    session = Session.create(store=store).add_file(galbot.log("cam", [1, 2]))
    (topic,) = session.list_topics()
    assert isinstance(topic, Topic)
    assert (topic.topic_id, topic.name, topic.source_peer_id, topic.resource_id) == ("galbot/cam", "cam", "galbot", "cam")
    assert topic.session_id == session.session_id
    assert [e.timestamp_ns for e in topic.get_entries(start_ns=2)] == [2]


def test_the_default_store_is_used_when_none_is_passed(store, galbot):
    previous = use_store(None)
    try:
        with pytest.raises(ValueError, match="no store"):
            Session.create()
        assert use_store(store) is store
        session = create_session("galbot")
        assert session.store == store
        assert [s.session_id for s in Session.for_org()] == [session.session_id]
        assert Session.from_id(session.session_id).session_id == session.session_id
    finally:
        use_store(previous)


def test_not_found_error_is_a_key_error_with_a_plain_message(store):
    with pytest.raises(KeyError) as caught:
        Session.from_id("ss_01J00000000000000000000000", store=store)
    assert isinstance(caught.value, auki_data.NotFoundError)
    assert str(caught.value) == 'unknown activity session "ss_01J00000000000000000000000"'


@pytest.mark.parametrize("call", [
    lambda s: Session.create(name=5, store=s),
    lambda s: Session.create(device_ids="galbot", store=s),
    lambda s: Session.create(device_ids=[1], store=s),
    lambda s: Session.create(store="/tmp"),
    lambda s: Session.from_id(None, store=s),
    lambda s: Store(""),
    lambda s: Store(b"/tmp"),
    lambda s: use_store("/tmp"),
    lambda s: SessionFile(5),
    lambda s: SessionFile("a", True, True),
    lambda s: Session.create(store=s).add_files("a/logs/p/r"),
    lambda s: Session.create(store=s).add_files([5]),
    lambda s: Session.create(store=s).add_file(object()),
    lambda s: Session.create(store=s).remove_files("a"),
    lambda s: Session.create(store=s).update(name=5),
])
def test_invalid_arguments_raise_value_error(store, call):
    with pytest.raises(ValueError):
        call(store)


def test_session_file_is_an_immutable_value(galbot):
    f = SessionFile("a/logs/p/r", 1, 2)
    assert f == SessionFile("a/logs/p/r", 1, 2) and hash(f) == hash(SessionFile("a/logs/p/r", 1, 2))
    assert repr(f) == "SessionFile(file_id='a/logs/p/r', range_min_timestamp_ns=1, range_max_timestamp_ns=2)"
    with pytest.raises(AttributeError):
        f.file_id = "b"


def test_not_set_is_a_falsy_singleton():
    assert repr(NotSet) == "NotSet" and not NotSet
    assert type(NotSet)() is NotSet
    assert auki_data.sessions.NotSet is NotSet


def test_files_can_be_given_as_objects_with_a_file_id(store, galbot):
    class File:
        def __init__(self, file_id):
            self.file_id = file_id

    cam = galbot.log("cam", [1])
    session = Session.create(store=store).add_file(File(cam))
    assert [v.file_id for v in session.list_files()] == [cam]
    assert session.remove_file(File(cam)).record["file_count"] == 0


def test_deleted_sessions_raise_not_found_everywhere(store, galbot):
    session = Session.create(store=store)
    session.delete()
    for call in (lambda: session.add_file(galbot.log("cam", [1])), session.delete, lambda: session.min_timestamp_ns,
                 lambda: list(session.list_files()), lambda: session.attach_to_device("galbot")):
        with pytest.raises(NotFoundError):
            call()
