"""Test stores for activity sessions: logs declared with ``auki_session`` (peer, sensor, session,
sensor log), their data written as auki-logs v1 segments by hand (``core/Logs/FORMAT.md``):

    <log>/log_manifest.json            {"retention_ns":0,"segment_duration_ns":N}
    <log>/segments/<start:020>.seg     b"AKLG" u16 1, u16 0, i64 start_ns; then per entry
                                       i64 timestamp_ns, u32 len, payload (little-endian)

Also runnable as a script by the cross-process tests (see ``main``).
"""
import json
import os
import struct
import sys

SEGMENT_NS = 1_000_000_000

_CAMERA = {
    "kind": "camera", "type": "rgb", "width": 64, "height": 48, "frame_rate_hz": 30,
    "image_encoding": "raw", "row_stride_bytes": 192, "pixel_format": "rgb8", "color_space": "srgb",
    "intrinsics_model": "pinhole", "distortion_model": "brown_conrady",
}


def payload_of(ts):
    """The default payload: the timestamp as 8 bytes (so a read can be checked against its stamp)."""
    return struct.pack("<q", ts)


def write_entries(log_root, entries, segment_duration_ns=SEGMENT_NS):
    """Append ``(timestamp_ns, payload)`` pairs (non-decreasing) to the log at ``log_root``."""
    segments = os.path.join(log_root, "segments")
    os.makedirs(segments, exist_ok=True)
    manifest = os.path.join(log_root, "log_manifest.json")
    if not os.path.exists(manifest):
        with open(manifest, "w") as f:
            f.write(json.dumps({"retention_ns": 0, "segment_duration_ns": segment_duration_ns}, separators=(",", ":")))
    by_start = {}
    for ts, payload in entries:
        by_start.setdefault(ts // segment_duration_ns * segment_duration_ns, []).append((ts, payload))
    for start, items in sorted(by_start.items()):
        path = os.path.join(segments, f"{start:020d}.seg")
        with open(path, "ab") as f:
            if f.tell() == 0:
                f.write(b"AKLG" + struct.pack("<HHq", 1, 0, start))
            for ts, payload in items:
                f.write(struct.pack("<qI", ts, len(payload)) + payload)


def write_timestamps(log_root, timestamps):
    write_entries(log_root, [(ts, payload_of(ts)) for ts in timestamps])


class Recording:
    """One boot session of one peer (``auki_session.Peer(...).start_session()``) under ``root``.
    ``log(resource_id, timestamps)`` declares a sensor log and writes its data; returns the file id."""

    def __init__(self, root, peer_id):
        from auki_session import FrameDef, Peer

        self.root = str(root)
        self.peer_id = peer_id
        self._peer = Peer(peer_id, "activity-tests").with_storage_root(self.root)
        self._frame = self._peer.register_frame("base", FrameDef.ros_body())
        self.session = self._peer.start_session()
        self._clock = self.session.register_clock(
            "session/sdk_clock", {"type": "monotonic_clock", "unit": "ns", "monotonic": True, "scope": "device-local"}
        )

    @property
    def boot_session_id(self):
        return self.session.session_id

    def log(self, resource_id, timestamps=(), entries=None):
        from auki_session import HeadSpec, SensorLogSpec

        body = dict(_CAMERA, frame={"peer_id": self._frame.peer_id, "id": self._frame.id, "hash": self._frame.hash})
        sensor = self._peer.register_sensor(resource_id, body)
        handle = self.session.register_sensor_log(SensorLogSpec(
            sensor=sensor, clock=self._clock, frame=self._frame, head=HeadSpec.rolling(0),
            segment_duration_ns=SEGMENT_NS, retention_ns=0,
        ))
        if entries is not None:
            write_entries(handle.root, entries)
        elif timestamps:
            write_timestamps(handle.root, timestamps)
        return os.path.relpath(handle.root, self.root).replace(os.sep, "/")


def main(argv):
    """``activity_support.py create <root> <name>``: print a new session's id.
    ``activity_support.py add <root> <session_id> <file_id>...``: add each file in its own call
    (``add --after <path> ...`` prints "ready", then waits until <path> exists, so two processes start together).
    ``activity_support.py tag <barrier> <root> <session_id> <tag>...``: print "ready", wait for <barrier>, then put
    each tag and a metadata key ``by_tag.<tag>`` in calls of their own.
    ``activity_support.py show <root> <session_id>``: print name, file ids and bounds as JSON."""
    import time

    import auki_data
    from auki_data.sessions import Session

    store = auki_data.Store(argv[1])
    if argv[0] == "create":
        print(Session.create(name=argv[2], store=store).session_id)
    elif argv[0] == "add":
        if argv[1] == "--after":
            barrier, argv = argv[2], ["add"] + argv[3:]
            store = auki_data.Store(argv[1])
            print("ready", flush=True)
            while not os.path.exists(barrier):
                time.sleep(0.001)
        session = Session.from_id(argv[2], store=store)
        for file_id in argv[3:]:
            session.add_file(file_id)
    elif argv[0] == "tag":
        # tag <barrier> <root> <session_id> <tag>...: after the barrier, put each tag (and a metadata key) in its own call
        barrier, argv = argv[1], argv[1:]
        store = auki_data.Store(argv[1])
        session = Session.from_id(argv[2], store=store)
        print("ready", flush=True)
        while not os.path.exists(barrier):
            time.sleep(0.001)
        for tag in argv[3:]:
            session.put_tags([tag])
            session.put_metadata({f"by_tag.{tag}": True})
    elif argv[0] == "show":
        session = Session.from_id(argv[2], store=store)
        print(json.dumps({"name": session.name, "files": [v.file_id for v in session.list_files()],
                          "min": session.min_timestamp_ns, "max": session.max_timestamp_ns}))
    else:
        raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
