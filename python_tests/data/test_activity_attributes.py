"""Roboto Session parity (issue 13 item 4): description, tags and metadata on create and update,
the tag/metadata shorthands, search, and Unix-epoch timeline offsets (per file contribution or
device, with a time-transform log as the default); two processes tagging one session at once."""

import json
import os
import subprocess
import sys

import pytest

from auki_data import MetadataChangeset, NotFoundError, NotSet, Store
from auki_data.sessions import Session, SessionFile

from activity_support import Recording
from typed_store import TypedRecording
import paths

HERE = str(paths.TESTS)  # activity_support.py lives there
BINDINGS = str(paths.BINDINGS)
EPOCH_2023 = 1_700_000_000_000_000_000


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path)


@pytest.fixture
def galbot(store):
    return Recording(store.storage_root, "galbot")


def stored(session):
    """The session as another reader sees it now (from disk, not the instance's cached record)."""
    return Session.from_id(session.session_id, store=session.store)


# ---- description, tags, metadata ----------------------------------------------------------------------


def test_create_takes_description_tags_and_metadata_with_dot_notation(store, galbot):
    s = Session.create(name="f1", device_ids=["galbot"], description="first flight", tags=["flight", "outdoor", "flight"],
                       metadata={"site.name": "Hong Kong", "wind": 3.5}, store=store)
    again = stored(s)
    assert (again.description, again.tags) == ("first flight", ["flight", "outdoor"])
    assert again.metadata == {"site": {"name": "Hong Kong"}, "wind": 3.5}
    assert Session.create(store=store).tags == [] and Session.create(store=store).metadata == {}


def test_update_sets_clears_and_leaves_the_description(store):
    s = Session.create(description="a", name="n", store=store)
    assert s.update(description="b").description == "b" and stored(s).description == "b"
    assert s.update(name="m").description == "b"  # NotSet leaves it
    assert s.update(description=None).description is None and stored(s).description is None
    assert stored(s).name == "m"


def test_put_tags_appends_new_tags_once_and_remove_tags_ignores_absent_ones(store):
    s = Session.create(tags=["a"], store=store)
    assert s.put_tags(["b", "a", "c"]) is s and s.tags == ["a", "b", "c"]
    assert s.remove_tags(["b", "zz"]).tags == ["a", "c"] and stored(s).tags == ["a", "c"]
    with pytest.raises(ValueError, match="non-empty"):
        s.put_tags([""])
    with pytest.raises(ValueError, match="sequence of str"):
        s.put_tags("a")


def test_put_metadata_overwrites_listed_keys_and_nests_with_dots(store):
    s = Session.create(metadata={"a": 1, "b": {"c": 2, "d": 3}}, store=store)
    s.put_metadata({"a": "one", "b.c": [1, 2], "b.e.f": None})
    assert stored(s).metadata == {"a": "one", "b": {"c": [1, 2], "d": 3, "e": {"f": None}}}


def test_remove_metadata_takes_dotted_keys_and_ignores_absent_ones(store):
    s = Session.create(metadata={"a": 1, "b": {"c": 2, "d": 3}}, store=store)
    s.remove_metadata(["b.c", "x.y", "a.z"])
    assert stored(s).metadata == {"a": 1, "b": {"d": 3}}
    s.remove_metadata(["b"])
    assert stored(s).metadata == {"a": 1}


def test_a_put_through_a_value_that_is_not_an_object_is_refused_and_changes_nothing(store):
    s = Session.create(metadata={"a": 5}, tags=["t"], store=store)
    before = stored(s).record
    with pytest.raises(ValueError, match='metadata key "a.b": "a" holds 5, not an object'):
        s.update(metadata_changeset=MetadataChangeset(put_tags=["u"], put_fields={"a.b": 1}))
    with pytest.raises(ValueError, match="empty segment"):
        s.put_metadata({"a..b": 1})
    assert stored(s).record == before


def test_one_update_applies_name_description_and_a_changeset_together(store):
    s = Session.create(name="x", tags=["old"], metadata={"k": 1}, store=store)
    s.update(name="y", description="d", metadata_changeset=MetadataChangeset(
        put_tags=["new"], remove_tags=["old"], put_fields={"k2": True}, remove_fields=["k"]))
    again = stored(s)
    assert (again.name, again.description, again.tags, again.metadata) == ("y", "d", ["new"], {"k2": True})


def test_an_update_that_changes_nothing_keeps_modified(store):
    s = Session.create(tags=["a"], metadata={"k": 1}, store=store)
    modified = s.record["modified_ns"]
    s.put_tags(["a"]).put_metadata({"k": 1}).remove_tags(["zz"]).update(description=NotSet)
    assert stored(s).record["modified_ns"] == modified
    assert s.put_tags(["b"]).record["modified_ns"] > modified


def test_tags_and_metadata_survive_composition_changes(store, galbot):
    s = Session.create(tags=["t"], metadata={"m": 1}, description="d", store=store)
    s.add_file(galbot.log("cam", [1, 2])).attach_to_device("galbot")
    again = stored(s)
    assert (again.tags, again.metadata, again.description, again.record["file_count"]) == (["t"], {"m": 1}, "d", 1)


# ---- search ---------------------------------------------------------------------------------------------


def test_search_by_device_tag_metadata_and_time_overlap(store, galbot):
    Recording(store.storage_root, "park")
    a = Session.create(device_ids=["galbot"], tags=["flight", "night"], metadata={"site": {"id": 7}}, store=store)
    a.add_file(galbot.log("a", [100, 200]))
    b = Session.create(device_ids=["park"], tags=["flight"], metadata={"site": {"id": 8}}, store=store)
    b.add_file(galbot.log("b", [300, 400]))
    c = Session.create(tags=["test"], store=store)  # no files: no bounds

    def ids(**query):
        return [s.session_id for s in Session.search(store=store, **query)]

    assert ids() == [a.session_id, b.session_id, c.session_id]
    assert ids(device_id="galbot") == [a.session_id]
    assert ids(tags=["flight"]) == [a.session_id, b.session_id]
    assert ids(tags=["flight", "night"]) == [a.session_id]
    assert ids(metadata={"site.id": 8}) == [b.session_id]
    assert ids(metadata={"site": {"id": 7}}) == [a.session_id]
    assert ids(start_time=200, end_time=300) == [a.session_id, b.session_id]  # inclusive at both ends
    assert ids(start_time=201, end_time=299) == []
    assert ids(start_time=350) == [b.session_id] and ids(end_time=150) == [a.session_id]
    assert ids(tags=["flight"], start_time=250) == [b.session_id]
    with pytest.raises(ValueError, match="start_ns"):
        ids(start_time=5, end_time=4)


# ---- timeline offsets ----------------------------------------------------------------------------------


def test_a_file_offset_moves_bounds_and_reads_into_wall_time_and_windows_stay_file_local(store, galbot):
    cam = galbot.log("cam", [100, 200, 300])
    s = Session.create(store=store).add_files([SessionFile(cam, 150, 300)])
    s.set_unix_offset(EPOCH_2023, file=cam)
    assert (s.min_timestamp_ns, s.max_timestamp_ns) == (EPOCH_2023 + 150, EPOCH_2023 + 300)
    assert [e.timestamp_ns for e in s.get_data("cam")] == [EPOCH_2023 + 200, EPOCH_2023 + 300]
    assert [e.timestamp_ns for e in s.get_data("cam", start_ns=EPOCH_2023 + 250)] == [EPOCH_2023 + 300]
    (view,) = s.list_files()
    assert view.unix_offset_ns == EPOCH_2023 and (view.range_min_timestamp_ns, view.range_max_timestamp_ns) == (150, 300)
    s.add_files([SessionFile(cam, 100, 200)])  # re-adding replaces the window and keeps the offset
    assert [e.timestamp_ns for e in s.get_data("cam")] == [EPOCH_2023 + 100, EPOCH_2023 + 200]
    s.clear_unix_offset(file=cam)
    assert (s.min_timestamp_ns, s.max_timestamp_ns) == (100, 200) and next(iter(s.list_files())).unix_offset_ns is None


def test_a_device_offset_applies_to_its_files_without_their_own(store, galbot):
    park = Recording(store.storage_root, "park")
    g1, g2, p1 = galbot.log("a", [10]), galbot.log("b", [20]), park.log("c", [30])
    s = Session.create(store=store).add_files([g1, g2, p1])
    s.set_unix_offset(1_000, device_id="galbot")
    s.set_unix_offset(5_000, file=g2)
    assert s.device_unix_offsets_ns == {"galbot": 1_000}
    assert [e.timestamp_ns for e in s.get_data("a")] == [1_010]
    assert [e.timestamp_ns for e in s.get_data("b")] == [5_020]
    assert [e.timestamp_ns for e in s.get_data("c")] == [30]
    assert (s.min_timestamp_ns, s.max_timestamp_ns) == (30, 5_020)
    assert stored(s).device_unix_offsets_ns == {"galbot": 1_000}
    s.clear_unix_offset(device_id="galbot")
    assert [e.timestamp_ns for e in s.get_data("a")] == [10] and s.device_unix_offsets_ns == {}


def test_offsets_reorder_the_merge_of_same_named_logs(store, galbot):
    park = Recording(store.storage_root, "park")
    s = Session.create(store=store).add_files([galbot.log("cam", [100, 200]), park.log("cam", [150])])
    s.set_unix_offset(1_000, device_id="park")
    assert [e.timestamp_ns for e in s.get_data("cam")] == [100, 200, 1_150]


def test_offset_targets_are_checked(store, galbot):
    cam = galbot.log("cam", [1])
    s = Session.create(store=store).add_file(cam)
    with pytest.raises(ValueError, match="exactly one"):
        s.set_unix_offset(1)
    with pytest.raises(ValueError, match="exactly one"):
        s.set_unix_offset(1, file=cam, device_id="galbot")
    with pytest.raises(NotFoundError):
        s.set_unix_offset(1, file=galbot.log("other", [1]))  # a file the session does not hold
    with pytest.raises(NotFoundError):
        s.set_unix_offset(1, device_id="nobody")
    with pytest.raises(ValueError, match="int"):
        s.set_unix_offset(1.5, file=cam)


def test_a_time_transform_log_is_the_default_offset(tmp_path):
    rec = TypedRecording(tmp_path)
    battery = rec.scalar_log([(1_000, 1.0), (2_000, 2.0), (3_000, 3.0)])
    # utc − monotonic read three times over the log's extent, once far outside it (a bad read)
    rec.time_transform_log([(500, 1), (1_500, EPOCH_2023), (2_500, EPOCH_2023 + 2), (2_900, EPOCH_2023 + 4)])
    s = Session.create(store=Store(tmp_path)).add_file(battery)
    assert s.default_unix_offset(file=battery) == EPOCH_2023 + 2  # median of the readings inside [1000, 3000]
    assert s.default_unix_offset(device_id="galbot") == EPOCH_2023 + 2
    s.set_unix_offset(file=battery)
    assert s.min_timestamp_ns == EPOCH_2023 + 2 + 1_000
    assert next(iter(s.get_topic("battery").get_data())) == (EPOCH_2023 + 1_002, {"value": 1.0})


def test_without_a_time_transform_log_there_is_no_default(store, galbot):
    cam = galbot.log("cam", [1])
    s = Session.create(store=store).add_file(cam)
    assert s.default_unix_offset(file=cam) is None
    with pytest.raises(NotFoundError, match="pass unix_offset_ns"):
        s.set_unix_offset(file=cam)


def test_an_offset_dataframe_is_indexed_in_wall_time(tmp_path):
    pd = pytest.importorskip("pandas", reason="pandas is not installed (Debian: python3-pandas): DataFrame reads untested")
    rec = TypedRecording(tmp_path)
    battery = rec.scalar_log([(1_000, 1.0)])
    s = Session.create(store=Store(tmp_path)).add_file(battery).set_unix_offset(EPOCH_2023, file=battery)
    df = s.get_topic("battery").get_data_as_df()
    assert df.index[0] == pd.Timestamp(EPOCH_2023 + 1_000, unit="ns", tz="UTC") and df.index[0].year == 2023


# ---- two processes -----------------------------------------------------------------------------------


def test_two_processes_tagging_one_session_at_once_lose_no_update(store, tmp_path):
    session = Session.create(name="race", store=store)
    go = str(tmp_path / "go")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([BINDINGS, HERE]))
    script = os.path.join(HERE, "activity_support.py")
    tags = [[f"p{p}-{i:02d}" for i in range(40)] for p in (0, 1)]
    procs = [subprocess.Popen([sys.executable, script, "tag", go, store.storage_root, session.session_id, *t],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for t in tags]
    assert all(p.stdout.readline().strip() == "ready" for p in procs)
    open(go, "w").close()  # both are loaded and waiting: start them together
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    again = stored(session)
    assert sorted(again.tags) == sorted(tags[0] + tags[1])
    assert sorted(again.metadata["by_tag"]) == sorted(tags[0] + tags[1])
    # each process's own tags stay in the order it put them
    assert [t for t in again.tags if t.startswith("p0")] == tags[0]
    on_disk = json.load(open(os.path.join(store.storage_root, "activity_sessions", session.session_id + ".json")))
    assert len(on_disk["tags"]) == 80
