"""A long recording does not fill the page cache: the writer drops the pages it wrote behind it
(core/Logs/Writeback.cs), keeping about the newest 72 MiB of the open segment cached, so
a camera log does not evict every other process's cached files. Checked with util-linux's fincore."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest

import auki_logs

pytestmark = pytest.mark.skipif(shutil.which("fincore") is None, reason="fincore (util-linux) missing")


def resident_bytes(path):
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                         check=True, capture_output=True, text=True).stdout
    return int(out.split()[0])


def test_a_long_segment_keeps_only_its_newest_strides_cached(tmp_path):
    fs = subprocess.run(["stat", "-f", "-c", "%T", str(tmp_path)], capture_output=True, text=True).stdout.strip()
    if fs in ("tmpfs", "ramfs"):
        pytest.skip(f"{fs} keeps every page in memory: nothing to drop")
    log = auki_logs.Log.open(str(tmp_path), {"segment_duration_ns": 3_600_000_000_000, "retention_ns": 0, "kind": "camera"})
    frame = bytes(range(256)) * 4096  # 1 MiB
    for i in range(160):  # paced like a camera (~100 MB/s), so each stride's writeback ends before the next hints
        log.append(i * 1_000_000, frame)
        time.sleep(0.01)
    log.flush()
    [segment] = sorted(Path(tmp_path).rglob("*.seg"))
    # The hints run on the writer's thread pool: give them a moment, then look.
    deadline = time.monotonic() + 10
    while resident_bytes(segment) > 100 * 2**20 and time.monotonic() < deadline:
        time.sleep(0.05)
    resident = resident_bytes(segment)
    assert segment.stat().st_size >= 160 * 2**20
    assert resident <= 100 * 2**20, f"{resident / 2**20:.1f} MiB of a 160 MiB segment still cached"
    # What was dropped reads back whole from disk.
    entries = auki_logs.Log.read(str(tmp_path)).entries()
    assert len(entries) == 160 and all(e.payload == frame for e in entries)
    log.close()
