"""Era A's ``join_domain``/``leave_domain`` in a process that never imported ``auki_domain``.

``auki_session`` may not import ``auki_domain`` (it stands above it); the Domain class a join returns
lives in the shared layer (``_auki.domain``), so a program written for upstream's era A joins a
broker without importing anything more, and upstream's errors stay where upstream had them. Each
case runs in a fresh interpreter, since any other test may have imported ``auki_domain`` already.
"""
import os
import subprocess
import sys

BINDINGS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "bindings", "python")


def run(body, tmp_path):
    script = "import sys\nfrom auki_session import Session\n" \
             f"s = Session('solo', 'solo-app').with_storage_root({str(tmp_path)!r})\n" + body + \
             "\nassert 'auki_domain' not in sys.modules\nprint('ok')\n"
    done = subprocess.run([sys.executable, "-c", script], env=dict(os.environ, PYTHONPATH=BINDINGS),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_config_without_a_broker_keeps_upstreams_libp2p_error(tmp_path):
    assert run("""
for config in ({}, {"domain_id": "lab"}, {"domain_id": "lab", "broker": ""}):
    try:
        s.join_domain(config)
    except NotImplementedError as e:
        assert "requires a pre-built libp2p swarm" in str(e), e
    else:
        raise AssertionError("joined")
try:
    s.leave_domain()
except NotImplementedError as e:
    assert "requires an active libp2p ClusterManager" in str(e), e
else:
    raise AssertionError("left")
""", tmp_path) == "ok\n"


def test_a_join_over_a_broker_works_without_importing_auki_domain(tmp_path, broker):
    assert run(f"""
domain = s.join_domain({{"domain_id": "lab", "broker": {broker.url!r}}})
assert (type(domain).__module__, type(domain).__name__) == ("auki_domain", "Domain")
assert domain.peers() == ["solo"]
s.leave_domain()
try:
    s.join_domain("lab")
except TypeError as e:
    assert str(e) == "argument 'config': 'str' object cannot be converted to 'DomainConfig'", e
else:
    raise AssertionError("joined")
""", tmp_path) == "ok\n"
