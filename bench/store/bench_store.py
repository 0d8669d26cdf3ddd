"""Python side of bench/store (run by run.sh): discovery over a store through auki_data.Store
(libauki, core/Inspect), each call beside a plain baseline measured in the same process: a walk of
the whole store (os.walk, plus os.stat of every file), which is what any listing must at least do.

    python3 bench_store.py <storage_root>
Prints tab-separated name=milliseconds fields (wall, and *_cpu: CPU time of the process, which a
shared machine's load does not inflate); cold = the first call in this new process.
"""
import os
import statistics
import sys
import time

from auki_data import Store


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t) * 1000, result


def cpu(fn):
    """CPU time (user + system, every thread of the process, libauki's included), in ms."""
    t = time.process_time()
    fn()
    return (time.process_time() - t) * 1000


def warm(fn, n=5):
    return statistics.median(timed(fn)[0] for _ in range(n))


def warm_cpu(fn, n=5):
    return statistics.median(cpu(fn) for _ in range(n))


def walk(root):
    files = 0
    for d, _, names in os.walk(root):
        for name in names:
            os.stat(os.path.join(d, name))
            files += 1
    return files


def main(root):
    store = Store(root)
    c0 = time.process_time()
    cold, logs = timed(store.logs)
    cold_cpu = (time.process_time() - c0) * 1000
    peers = store.peers()
    middle = logs[len(logs) // 2]
    results = {
        "logs_cold": cold,
        "logs_cold_cpu": cold_cpu,
        "logs_warm": warm(store.logs),
        "logs_warm_cpu": warm_cpu(store.logs),
        "walk_baseline_cpu": warm_cpu(lambda: walk(root)),
        "peers": warm(store.peers),
        "one_peer": warm(lambda: store.logs(peers[len(peers) // 2].peer_id)),
        "window": warm(lambda: store.logs(start_ns=middle.min_timestamp_ns, end_ns=middle.min_timestamp_ns + 1)),
        "walk_baseline": warm(lambda: walk(root)),
        "logs": len(logs),
        "files": walk(root),
    }
    print("\t".join(f"{k}={v:.0f}" if isinstance(v, float) else f"{k}={v}" for k, v in results.items()))


if __name__ == "__main__":
    main(sys.argv[1])
