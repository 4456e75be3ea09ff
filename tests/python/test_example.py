"""examples/python/spec.py works as its docstring says (in a copy, under a
group of the test's own, on a free port)."""

from __future__ import annotations

import re
import shutil
import time
import urllib.request

from conftest import REPO, Spec, free_port


def test_example_spec(spec: Spec):
    shutil.copytree(REPO / "examples" / "python", spec.directory, dirs_exist_ok=True)
    port = free_port()
    spec.extra_env = {
        "DRILLMASTER_EXAMPLE_GROUP": spec.group,
        "DRILLMASTER_EXAMPLE_PORT": str(port),
    }
    run = spec.run

    started = run("start", "-v")
    assert started.returncode == 0, started.stdout + started.stderr
    assert re.search(r"^web +\| ", started.stdout, re.M)  # -v: the build's own output
    # -v: which engine, how it is reached, and the API version in use
    assert re.search(r"^engine: unix://\S+ \(unix socket\), API 1\.\d+$", started.stdout, re.M)
    # -v: how the engine was found (DOCKER_HOST, a context, a socket...)
    assert re.search(r"^engine found by \S", started.stdout, re.M)
    assert (
        f"on_start_services: store, web, app running; web on http://127.0.0.1:{port}/"
        in started.stdout
    )
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
        assert b"hello from the web service" in answer.read()
    # app got the token, and reached web by its name on the group's network
    # (the engine's DNS answers the service name, an alias of the container).
    expected = [
        f"app | app sees STORE_TOKEN=token-of-{spec.group}-store-1",
        "app | <p>hello from the web service</p>",
    ]
    deadline = time.monotonic() + 10
    while not all(line in (logs := run("logs", "app").stdout) for line in expected):
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for line in expected:
        assert line in logs, logs
    stopped = run("stop", "--remove")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
