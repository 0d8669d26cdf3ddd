"""Peak RSS of a full read of a 1 GB camera log through each read API, beside upstream's
entries() list of the same log (the baseline a streaming read replaces), each in its own process
(python_tests/session/test_read_memory.py's scripts; VmHWM after resetting it right before the read).

    PYTHONPATH=bindings/python python3 bench/store/read_memory.py      # ~20 s, 1 GB of temporary disk
"""
import os
import shutil
import sys
import tempfile

_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python_tests")
sys.path[:0] = [os.path.join(_TESTS, "session"), _TESTS]
import test_read_memory as t  # noqa: E402

ENTRIES_LIST = t.PRELUDE + """
from auki_logs import Log
peak_reset()
entries = Log.read(sys.argv[1]).entries()
print(json.dumps([len(entries), sum(len(e.payload) for e in entries), peak()]))
"""

IDLE = t.PRELUDE + """
import auki_data, auki_logs, auki_session
print(json.dumps([0, 0, peak()]))
"""


def main():
    root = tempfile.mkdtemp()
    try:
        written = t._run(t.WRITE, root, t.FRAMES)
        rows = [("log handle `read()`", written["handle_read"]), ("log handle `read(decode=True)`", written["handle_read_decoded"])]
        for name, how in [("`auki_logs.Log.read(root)` iteration", "log_read_iter"), ("`LogReader.read(start, end)`", "log_reader_window"),
                          ("`auki_data.Store.open(log)`", "store_open"), ("`Store.open(log, decode=True)`", "store_open_decoded")]:
            rows.append((name, t._run(t.READ, written["root"], root, how)))
        rows.append(("baseline: upstream's `LogReader.entries()` (a list)", t._run(ENTRIES_LIST, written["root"])))
        rows.append(("baseline: the same process, imports only (no read)", t._run(IDLE)))
        print(f"\n{t.FRAMES} frames, {rows[0][1][1] / 1e9:.2f} GB\n")
        print("| read API | peak RSS (MiB) |\n|---|---:|")
        for name, (_, _, peak) in rows:
            print(f"| {name} | {peak / 2**20:.0f} |")
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
