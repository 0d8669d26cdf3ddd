"""Python side of bench/activity (run by run.sh): time a session's bounds and list_topics through
auki_data (libauki), cold = the first call in this new process (its caches are empty, the root's
.activity_index is what an earlier process left; the OS page cache is warm), rebuild = the same
with the .activity_index deleted first, warm = median of 15, beside baselines from the same run: os.stat of every
segment file of the session, and a walk (os.scandir + stat) of every segments/ directory.

    python3 bench_activity.py <storage_root> <session_id> bounds|topics [cold|rebuild]
"""
import os
import statistics
import sys
import time

from auki_data import Store
from auki_data.sessions import Session


def timed(fn):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def warm(fn):
    return statistics.median(timed(fn) for _ in range(15))


def main(root, session_id, first, start="cold"):
    if start == "rebuild":
        try:
            os.remove(os.path.join(root, ".activity_index"))
        except FileNotFoundError:
            pass
    # Not Session.from_id: its record carries live bounds, which would read every log first.
    session = Session({"session_id": session_id}, store=Store(root))
    bounds = lambda: (session.min_timestamp_ns, session.max_timestamp_ns)  # noqa: E731  (two live computations)
    one_bound = lambda: session.max_timestamp_ns  # noqa: E731  (one auki_activity_bounds call)
    topics = lambda: list(session.list_topics())  # noqa: E731
    cold = timed(one_bound if first == "bounds" else topics)  # before anything else reads the logs
    dirs = [os.path.join(root, v.file_id, "segments") for v in session.list_files()]
    segment_files = [os.path.join(d, name) for d in dirs for name in os.listdir(d)]

    def stat_all():
        for path in segment_files:
            os.stat(path)

    def walk():
        for d in dirs:
            with os.scandir(d) as it:
                for entry in it:
                    entry.stat()

    result = {
        "impl": "Python",
        f"{first}_{start}": cold,
        "bounds_warm": warm(one_bound),
        "bounds_pair_warm": warm(bounds),
        "topics_warm": warm(topics),
        "stat": warm(stat_all),
        "walk": warm(walk),
        "segments": len(segment_files),
        "topics": len(topics()),
    }
    print("\t".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main(*sys.argv[1:5])
