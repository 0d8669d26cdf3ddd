"""Python per-call costs beside same-run baselines, and the cold start of a small program.

Figures: an idempotent peer.register_frame (hash + the file exists) beside os.stat of that file;
a new registration (atomic write + fsync) beside writing and fsyncing a file of the same size; a
handle getter beside a plain Python property; and the wall time of a fresh interpreter that
imports auki_session and declares a peer, a session and one sensor log, beside `python3 -c pass`.
"""
import os
import subprocess
import sys
import tempfile
import time

from auki_session import FrameDef, Peer

root = tempfile.mkdtemp(dir=sys.argv[1] if len(sys.argv) > 1 else None)
peer = Peer("galbot", "bench").with_storage_root(root)
ref = peer.register_frame("f", FrameDef.ros_optical())
path = os.path.join(root, "registries", "frames", "galbot", "f", ref.hash + ".json")


def per_call(fn, n):
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n)
    return best * 1e6


ours = per_call(lambda: peer.register_frame("f", FrameDef.ros_optical()), 20000)
base = per_call(lambda: os.stat(path), 20000)
print(f"python register_frame, identical : {ours:8.2f} us/call   baseline os.stat {base:6.2f} us  ratio {base / ours:.2f}x")

ids = iter(range(10**9))
ours = per_call(lambda: peer.register_frame(f"n{next(ids)}", FrameDef.ros_optical()), 200)
data = open(path, "rb").read()


def write_fsync():
    p = os.path.join(root, f"plain{next(ids)}.json")
    with open(p, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


base = per_call(write_fsync, 200)
print(f"python register_frame, new id    : {ours:8.1f} us/call   baseline write+fsync {base:6.1f} us  ratio {base / ours:.2f}x")


def batched(n):
    with peer.batch():
        for _ in range(n):
            peer.register_frame(f"n{next(ids)}", FrameDef.ros_optical())


def plain_batch(n):
    # The same durability by hand: mkdir + write + rename each, one os.sync() of the file system... which
    # Python only has as sync(2) for every file system; syncfs through ctypes is the fair one.
    for _ in range(n):
        d = os.path.join(root, f"plain{next(ids)}")
        os.mkdir(d)
        with open(os.path.join(d, ".t"), "wb") as f:
            f.write(data)
        os.rename(os.path.join(d, ".t"), os.path.join(d, "e.json"))
    fd = os.open(root, os.O_RDONLY)
    try:
        _syncfs(fd)
    finally:
        os.close(fd)


import ctypes  # noqa: E402

_syncfs = ctypes.CDLL(None, use_errno=True).syncfs
for size in (10, 100):
    ours = per_call(lambda: batched(size), 20) / size
    base = per_call(lambda: plain_batch(size), 20) / size
    print(f"python register_frame, batch of {size:3}: {ours:8.1f} us/call   baseline mkdir+write+rename, 1 syncfs {base:6.1f} us  ratio {base / ours:.2f}x")

session = peer.start_session()
print(f"python session.session_id getter : {per_call(lambda: session.session_id, 100000):8.3f} us/call")

program = (
    "import tempfile\n"
    "from auki_session import Peer, FrameDef, HeadSpec, SensorLogSpec\n"
    "p = Peer('galbot', 'app').with_storage_root(tempfile.mkdtemp())\n"
    "f = p.register_frame('o', FrameDef.ros_optical())\n"
    "s = p.register_sensor('cam', {'kind': 'camera', 'type': 'rgb', 'width': 2, 'height': 2, 'frame_rate_hz': 30,"
    " 'pixel_format': 'rgb8', 'color_space': 'srgb', 'intrinsics_model': 'pinhole', 'distortion_model': 'none',"
    " 'frame': {'peer_id': f.peer_id, 'id': f.id, 'hash': f.hash}})\n"
    "session = p.start_session()\n"
    "c = session.register_clock('clk', {'type': 'monotonic_clock', 'unit': 'ns', 'monotonic': True, 'scope': 'device-local'})\n"
    "session.register_sensor_log(SensorLogSpec(sensor=s, clock=c, head=HeadSpec.rolling(1), segment_duration_ns=1, retention_ns=0))\n"
)


def wall(args):
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run(args, check=True, env=dict(os.environ))
        best = min(best, time.perf_counter() - t)
    return best * 1e3


# This machine sets PYTHONDONTWRITEBYTECODE, so every start compiles our modules from source; an
# installed package has its .pyc files. Measure both.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.dirname(os.path.dirname(os.path.abspath(sys.modules["auki_session"].__file__)))],
               check=True, stdout=subprocess.DEVNULL)
cold = wall([sys.executable, "-c", program])
bare = wall([sys.executable, "-c", "pass"])
imp = wall([sys.executable, "-c", "import auki_session"])
print(f"cold start: import auki_session            {imp:6.1f} ms   baseline `python3 -c pass` {bare:6.1f} ms   (+{imp - bare:.1f} ms)")
print(f"cold start: import + peer + session + log  {cold:6.1f} ms   baseline `python3 -c pass` {bare:6.1f} ms   (+{cold - bare:.1f} ms)")
