"""Log writers in other processes record their logs in the root's activity index
(``.activity_journal``, folded in by every query): this process's answers equal a full scan (a new
process over a copy of the store without ``.activity_index`` and ``.activity_journal``) while two
writer processes reopen, append, roll over and close their logs concurrently, and after writers
are SIGKILLed at random moments (in the middle of a record included)."""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

from auki_data import Store
from auki_data.sessions import Session, SessionFile

import paths

BINDINGS = str(paths.BINDINGS)
LOGS = ["logs/p1/cam", "logs/p1/imu", "logs/p2/cam", "B1/logs/p2/imu"]

WRITER = r"""
import sys
sys.path.insert(0, sys.argv[1])
import auki_logs
root, base, rounds, logs = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
ts = base
i = 0
while rounds < 0 or i < rounds:
    for log_id in logs:
        log = auki_logs.Log.open(root + "/" + log_id, {"segment_duration_ns": 100, "retention_ns": 0})
        for _ in range(3):
            ts += 37  # rolls over a segment every few appends
            log.append(ts, b"x" * (ts % 11))
        log.close()
    i += 1
    if i == 1:
        print("going", flush=True)
"""

QUERY = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from auki_data import Store
from auki_data.sessions import Session
session = Session({"session_id": sys.argv[3]}, store=Store(sys.argv[2]))
print(json.dumps([session.min_timestamp_ns, session.max_timestamp_ns, sorted(t.topic_id for t in session.list_topics()),
                  [v.record for v in session.list_files()]], sort_keys=True))
"""


def writer(root, base, rounds, logs):
    return subprocess.Popen([sys.executable, "-c", WRITER, BINDINGS, root, str(base), str(rounds), *logs],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def answers(session):
    return json.loads(json.dumps([session.min_timestamp_ns, session.max_timestamp_ns,
                                  sorted(t.topic_id for t in session.list_topics()),
                                  [v.record for v in session.list_files()]], sort_keys=True))


def full_scan(root, session_id, tmp_path):
    """The answers of a new process over a copy of the store without its index and journal."""
    copy = str(tmp_path / f"scan-{time.monotonic_ns()}")
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".activity_index", ".activity_journal", "*.tmp", ".writer.lock"))
    out = subprocess.run([sys.executable, "-c", QUERY, BINDINGS, copy, session_id], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    shutil.rmtree(copy)
    return json.loads(out.stdout)


def indexed_store(tmp_path):
    root = str(tmp_path / "store")
    os.makedirs(root)
    first = writer(root, 0, 1, LOGS)
    assert first.wait(timeout=120) == 0, first.stderr.read()
    session = Session.create(store=Store(root))
    session.add_files([SessionFile(f) for f in LOGS])
    answers(session)  # the first query saves the index and creates the journal
    assert os.path.exists(os.path.join(root, ".activity_journal"))
    return root, session


def test_answers_equal_a_full_scan_while_two_writer_processes_close_their_logs(tmp_path):
    root, session = indexed_store(tmp_path)
    writers = [writer(root, 10_000, 40, LOGS[0::2]), writer(root, 10_000, 40, LOGS[1::2])]
    maxima = []
    while any(w.poll() is None for w in writers):
        maxima.append(session.max_timestamp_ns)
    for w in writers:
        assert w.wait(timeout=120) == 0, w.stderr.read()
    assert maxima == sorted(maxima)
    assert answers(session) == full_scan(root, session.session_id, tmp_path)


def test_answers_equal_a_full_scan_after_writers_are_killed_at_random_moments(tmp_path):
    root, session = indexed_store(tmp_path)
    rng = random.Random(17)
    for attempt in range(8):
        w = writer(root, (attempt + 1) * 1_000_000, -1, LOGS[attempt % 2::2])
        assert w.stdout.readline().strip() == "going", w.stderr.read()
        time.sleep(rng.uniform(0, 0.05))
        os.kill(w.pid, signal.SIGKILL)
        w.wait(timeout=60)
        assert answers(session) == full_scan(root, session.session_id, tmp_path)
