"""Helpers for the domain tests: Debian's mosquitto on a free loopback port, the C# owner peer
(tests/domain/DomainPeer) and the Python materializer as separate processes, and a reader of the
on-disk log format (core/Logs/FORMAT.md) to check materialized bytes independently of libauki."""

import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINDINGS = os.path.join(REPO, "bindings", "python")
MOSQUITTO = "/usr/sbin/mosquitto"
PEER_BIN = os.path.join(REPO, "build", "domain-peer", "DomainPeer")


def payload(i, size):
    """What the owner peer appends as entry i: byte k is (i*31 + k*7) & 0xFF."""
    return bytes((i * 31 + k * 7) & 0xFF for k in range(size))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    """mosquitto on 127.0.0.1:<free port>, no persistence (a restart loses retained messages).

    ``Broker(bridge_to=other)`` is a second broker bridged to ``other`` the way a site broker is
    bridged to a fleet one: every ``auki/#`` message both ways, over MQTT 5 (so response topics and
    correlation data cross), QoS 1."""

    def __init__(self, bridge_to=None):
        if not os.path.exists(MOSQUITTO):
            raise RuntimeError(f"{MOSQUITTO} not found: install Debian's mosquitto (./build.sh test does)")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="auki-mosquitto-")
        self.config = os.path.join(self.dir, "mosquitto.conf")
        with open(self.config, "w") as f:
            f.write(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\nset_tcp_nodelay true\n")
            if bridge_to is not None:
                f.write(f"connection auki-bridge-{self.port}\naddress 127.0.0.1:{bridge_to.port}\n"
                        "bridge_protocol_version mqttv50\ntopic auki/# both 1\ncleansession true\nnotifications false\n"
                        "restart_timeout 1\n")
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen([MOSQUITTO, "-c", self.config], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("mosquitto exited: " + self.process.stderr.read().decode())
                time.sleep(0.02)
        raise RuntimeError(f"mosquitto did not listen on {self.port} within 10 s")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class OwnerPeer:
    """The C# owner (tests/domain/DomainPeer) in its own process, driven line by line."""

    def __init__(self, root, broker_url, domain_id, peer_id="galbot"):
        if not os.path.exists(PEER_BIN):
            subprocess.run(["dotnet", "build", os.path.join(REPO, "tests", "domain", "DomainPeer", "DomainPeer.csproj"),
                            "-c", "Release", "-o", os.path.dirname(PEER_BIN), "-nologo", "-v", "q"], check=True)
        self.process = subprocess.Popen([PEER_BIN, root, broker_url, domain_id, peer_id], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)
        self.count = 0
        assert self._read(30) == "ready"

    def _read(self, timeout):
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError("owner peer did not answer")
        return self.process.stdout.readline().strip()

    def command(self, line, timeout=60):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self._read(timeout)
        if not answer.startswith("ok"):
            raise RuntimeError(f"owner peer: {line!r} -> {answer}")
        return answer

    def append(self, count, size=64, step_ns=1_000_000):
        self.command(f"append {count} {size} {step_ns}")
        self.count += count

    def close(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.write("quit\n")
                self.process.stdin.flush()
                self.process.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


class Materializer:
    """python_tests/domain/materializer.py in its own process (so it can be SIGKILLed)."""

    def __init__(self, root, broker_url, domain_id):
        env = dict(os.environ, PYTHONPATH=BINDINGS)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "materializer.py")
        self.process = subprocess.Popen([sys.executable, script, root, broker_url, domain_id], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env)
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline().strip() if ready else ""
        if not line.startswith("materialized "):
            self.kill()
            raise RuntimeError(f"materializer did not start: {line!r} {self.process.stderr.read()}")
        self.log_root = line[len("materialized "):]

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def read_log(root):
    """(timestamp_ns, payload) of every complete entry of the log at root, from the segment files."""
    seg_dir = os.path.join(root, "segments")
    if not os.path.isdir(seg_dir):
        return []
    entries = []
    for name in sorted(os.listdir(seg_dir)):
        if not name.endswith(".seg"):
            continue
        with open(os.path.join(seg_dir, name), "rb") as f:
            data = f.read()
        if len(data) < 16 or data[:4] != b"AKLG":
            continue
        version = struct.unpack_from("<H", data, 4)[0]
        header = 12 if version == 1 else 16
        pos = 16
        while pos + header <= len(data):
            ts, length = struct.unpack_from("<qI", data, pos)
            if pos + header + length > len(data):
                break
            entries.append((ts, data[pos + header:pos + header + length]))
            pos += header + length
    return entries


def wait_until(condition, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not met within {timeout} s")
        time.sleep(0.02)
