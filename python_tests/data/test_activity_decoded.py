"""Decoded reads of activity-session topics (issue 13 item 3): ``Topic.get_data`` yields
``(timestamp_ns, dict)`` with the typed payload's fields, ``get_data_as_df`` a DataFrame on a UTC
``DatetimeIndex`` named ``_index``; message-path filters; raw logs as a ``payload`` column."""

import struct
import subprocess
import sys

import pytest

from auki_data import Store
from auki_data.sessions import Session

from typed_store import TypedRecording

POSES = [(1_000, (1.0, 2.0, 3.0), (0.0, 0.0, 0.0, 1.0)), (2_000, (4.0, -5.0, 6.5), (0.0, 0.0, 0.7071, 0.7071)),
         (3_000, (0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0))]


@pytest.fixture
def recorded(tmp_path):
    rec = TypedRecording(tmp_path)
    files = {
        "scalar": rec.scalar_log([(1_000, 1.5), (2_000, -2.25), (3_000, 0.0)]),
        "pose": rec.pose_log(POSES),
        "camera": rec.camera_log([(1_000, bytes(24), None), (2_000, bytes(range(24)), 500.0)]),
        "raw": rec.raw_log([(5, b"abc"), (6, b""), (7, b"\x00\xff")]),
    }
    store = Store(tmp_path)
    session = Session.create(name="decoded", device_ids=["galbot"], store=store)
    session.add_files(list(files.values()))
    return session, files


def pandas():
    return pytest.importorskip("pandas", reason="pandas is not installed (Debian: python3-pandas): DataFrame reads untested")


# ---- get_data: dicts ------------------------------------------------------------------------------


def test_a_scalar_topic_yields_its_value_field(recorded):
    session, _ = recorded
    assert list(session.get_topic("battery").get_data()) == [(1_000, {"value": 1.5}), (2_000, {"value": -2.25}),
                                                             (3_000, {"value": 0.0})]


def test_a_pose_topic_yields_nested_dicts_of_proto_field_names_with_defaults_for_absent_fields(recorded):
    session, _ = recorded
    got = list(session.get_topic("base->head").get_data())
    assert got[1] == (2_000, {"translation": {"x": 4.0, "y": -5.0, "z": 6.5},
                              "orientation": {"x": 0.0, "y": 0.0, "z": 0.7071, "w": 0.7071}})
    # (0, 0, 0) is not on the wire at all (proto3): it still reads as every field, 0.0
    assert got[2] == (3_000, {"translation": {"x": 0.0, "y": 0.0, "z": 0.0}, "orientation": {"x": 0.0, "y": 0.0, "z": 0.0, "w": 1.0}})


def test_a_camera_topic_yields_intrinsics_lists_and_frame_bytes(recorded):
    session, _ = recorded
    first, second = session.get_topic("cam").get_data()
    assert first == (1_000, {"dynamic_intrinsics": {"fx": 0.0, "fy": 0.0, "cx": 0.0, "cy": 0.0, "distortion_coefficients": []},
                             "frame": bytes(24)})
    assert second[1]["dynamic_intrinsics"] == {"fx": 500.0, "fy": 500.0, "cx": 2.0, "cy": 1.0,
                                               "distortion_coefficients": [0.1, -0.2]}
    assert second[1]["frame"] == bytes(range(24))


def test_a_raw_log_yields_its_payload_bytes(recorded):
    session, _ = recorded
    topic = session.get_topic("radio")
    assert topic.message_paths() == ["payload"]
    assert list(topic.get_data()) == [(5, {"payload": b"abc"}), (6, {"payload": b""}), (7, {"payload": b"\x00\xff"})]


def test_message_paths_include_keeps_a_field_and_the_children_of_a_parent(recorded):
    session, _ = recorded
    topic = session.get_topic("base->head")
    assert topic.message_paths() == ["translation.x", "translation.y", "translation.z",
                                     "orientation.x", "orientation.y", "orientation.z", "orientation.w"]
    assert next(iter(topic.get_data(message_paths_include=["translation"]))) == (1_000, {"translation": {"x": 1.0, "y": 2.0, "z": 3.0}})
    assert next(iter(topic.get_data(message_paths_include=["orientation.w", "translation.x"]))) == (
        1_000, {"translation": {"x": 1.0}, "orientation": {"w": 1.0}})


def test_message_paths_exclude_drops_fields_and_include_then_exclude_combine(recorded):
    session, _ = recorded
    cam = session.get_topic("cam")
    assert list(cam.get_data(message_paths_exclude=["frame"]))[1][1] == {
        "dynamic_intrinsics": {"fx": 500.0, "fy": 500.0, "cx": 2.0, "cy": 1.0, "distortion_coefficients": [0.1, -0.2]}}
    got = list(cam.get_data(message_paths_include=["dynamic_intrinsics"],
                            message_paths_exclude=["dynamic_intrinsics.distortion_coefficients", "dynamic_intrinsics.cy"]))
    assert got[1] == (2_000, {"dynamic_intrinsics": {"fx": 500.0, "fy": 500.0, "cx": 2.0}})


def test_a_message_path_that_names_no_field_is_refused_with_the_known_ones(recorded):
    session, _ = recorded
    with pytest.raises(ValueError, match=r'message path "translation\.q" names no field of auki\.pose\.SpatialTransform; known: translation\.x'):
        session.get_topic("base->head").get_data(message_paths_include=["translation.q"])
    with pytest.raises(ValueError, match="must not be empty"):
        session.get_topic("battery").get_data(message_paths_exclude=[])
    with pytest.raises(ValueError, match="sequence of str"):
        session.get_topic("battery").get_data(message_paths_include="value")


def test_get_data_reads_a_window_inclusive_in_session_time(recorded):
    session, _ = recorded
    topic = session.get_topic("battery")
    assert [ts for ts, _ in topic.get_data(start_time=2_000, end_time=3_000)] == [2_000, 3_000]
    assert [ts for ts, _ in topic.get_data(start_time=1_001)] == [2_000, 3_000]


def test_a_payload_that_does_not_decode_names_its_timestamp(tmp_path):
    rec = TypedRecording(tmp_path)
    file_id = rec.scalar_log([(1, 1.0)])
    import auki_logs

    with auki_logs.Log.open(str(tmp_path / file_id), {"segment_duration_ns": 10**9, "retention_ns": 0}) as log:
        log.append(9, b"\x0a\x05ab")  # field 1 as length-delimited: value is a double
    session = Session.create(store=Store(tmp_path)).add_file(file_id)
    rows = session.get_topic("battery").get_data()
    assert next(rows) == (1, {"value": 1.0})
    with pytest.raises(ValueError, match="payload at timestamp_ns 9 does not decode as auki.scalar.Data"):
        next(rows)


def test_many_rows_cross_batches_in_order(tmp_path):
    rec = TypedRecording(tmp_path)
    n = 70_000  # more than one batch of 65,536 rows
    file_id = rec.scalar_log([(i, float(i) / 2) for i in range(n)])
    session = Session.create(store=Store(tmp_path)).add_file(file_id)
    rows = list(session.get_topic("battery").get_data())
    assert len(rows) == n and rows[-1] == (n - 1, {"value": (n - 1) / 2})
    assert all(ts * 0.5 == d["value"] for ts, d in rows[::997])


# ---- get_data_as_df ---------------------------------------------------------------------------------


def test_a_scalar_dataframe_has_a_utc_index_named__index_and_a_float64_column(recorded):
    pd = pandas()
    session, _ = recorded
    df = session.get_topic("battery").get_data_as_df()
    assert df.shape == (3, 1) and list(df.columns) == ["value"]
    assert isinstance(df.index, pd.DatetimeIndex) and df.index.name == "_index" and str(df.index.tz) == "UTC"
    assert list(df.index.asi8) == [1_000, 2_000, 3_000]
    assert str(df["value"].dtype) == "float64" and list(df["value"]) == [1.5, -2.25, 0.0]


def test_a_pose_dataframe_flattens_into_dotted_float64_columns(recorded):
    pd = pandas()
    session, _ = recorded
    df = session.get_topic("base->head").get_data_as_df()
    assert df.shape == (3, 7)
    assert list(df.columns) == ["translation.x", "translation.y", "translation.z",
                                "orientation.x", "orientation.y", "orientation.z", "orientation.w"]
    assert all(str(t) == "float64" for t in df.dtypes)
    assert df.loc[pd.Timestamp(2_000, unit="ns", tz="UTC"), "translation.y"] == -5.0
    assert list(df["orientation.w"]) == [1.0, 0.7071, 1.0]
    assert type(df["translation.x"].to_numpy()).__module__ == "numpy"


def test_a_camera_dataframe_has_float_intrinsics_a_list_column_and_a_bytes_column(recorded):
    pandas()
    session, _ = recorded
    df = session.get_topic("cam").get_data_as_df()
    assert df.shape == (2, 6)
    assert str(df["dynamic_intrinsics.fx"].dtype) == "float64" and list(df["dynamic_intrinsics.fx"]) == [0.0, 500.0]
    assert str(df["frame"].dtype) == "object" and list(df["frame"]) == [bytes(24), bytes(range(24))]
    assert list(df["dynamic_intrinsics.distortion_coefficients"]) == [[], [0.1, -0.2]]
    slim = session.get_topic("cam").get_data_as_df(message_paths_exclude=["frame"])
    assert "frame" not in slim.columns and slim.shape == (2, 5)


def test_a_time_transform_dataframe_keeps_integer_dtypes(tmp_path):
    pandas()
    rec = TypedRecording(tmp_path)
    file_id = rec.time_transform_log([(10, -(2**40)), (20, 2**62)])
    df = Session.create(store=Store(tmp_path)).add_file(file_id).get_topic("session/sdk_clock->session/utc").get_data_as_df()
    assert [str(t) for t in df.dtypes] == ["int64", "uint32"]
    assert list(df["offset_ns"]) == [-(2**40), 2**62] and list(df["uncertainty_ns"]) == [10, 10]


def test_a_raw_dataframe_has_a_payload_bytes_column(recorded):
    pandas()
    session, _ = recorded
    df = session.get_topic("radio").get_data_as_df()
    assert list(df.columns) == ["payload"] and list(df["payload"]) == [b"abc", b"", b"\x00\xff"]
    assert list(df.index.asi8) == [5, 6, 7]


def test_an_empty_window_gives_an_empty_dataframe_with_the_columns(recorded):
    pd = pandas()
    session, _ = recorded
    df = session.get_topic("base->head").get_data_as_df(start_time=10_000)
    assert df.shape == (0, 7) and isinstance(df.index, pd.DatetimeIndex) and df.index.name == "_index"


def test_the_dataframe_matches_one_built_from_struct_unpack(recorded):
    pd = pandas()
    session, _ = recorded
    topic = session.get_topic("base->head")
    rows = []
    for entry in topic.get_entries():
        message = __import__("auki_datatypes").pose.SpatialTransform().parse(entry.payload)
        t, q = message.translation, message.orientation
        rows.append((entry.timestamp_ns, t.x, t.y, t.z, q.x, q.y, q.z, q.w))
    expected = pd.DataFrame([r[1:] for r in rows], columns=topic.message_paths(),
                            index=pd.DatetimeIndex(pd.to_datetime([r[0] for r in rows], unit="ns", utc=True), name="_index"))
    pd.testing.assert_frame_equal(topic.get_data_as_df(), expected)
    assert struct.calcsize("<d") == 8  # the bench builds the same frame with struct.unpack


def test_without_pandas_get_data_as_df_says_what_to_install(recorded, tmp_path):
    session, _ = recorded
    script = (
        "import sys; sys.modules['pandas'] = None\n"
        "from auki_data import Store\nfrom auki_data.sessions import Session\n"
        f"s = Session.from_id({session.session_id!r}, store=Store({session.store.storage_root!r}))\n"
        "try:\n    s.get_topic('battery').get_data_as_df()\nexcept ImportError as e:\n    print(e)\n"
        "print(list(s.get_topic('battery').get_data())[0])\n"
    )
    import os

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "get_data_as_df needs pandas" in out.stdout and "python3-pandas" in out.stdout
    assert "(1000, {'value': 1.5})" in out.stdout
