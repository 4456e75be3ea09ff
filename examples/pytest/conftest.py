"""Services for the tests beside this file, defined once as classes.

``store`` stands in for a database: its init hook stores a token in the
Context. ``web`` is built from ./web (busybox httpd), gets the token through
its env, and is published on a free host port (``ports = {8080: None}``), so
that any number of runs at once (pytest-xdist workers, CI jobs) never clash.
Its ping asks for the page over HTTP: a TCP connect alone succeeds as soon as
the engine's proxy listens, before httpd does.

    pytest examples/pytest              # one group for the run
    pytest examples/pytest -n 2         # with pytest-xdist: a group per worker
    pytest examples/pytest --drillmaster-keep   # leave them running after
"""

import urllib.request

import drillmaster
from drillmaster.testing import services_fixture

IMAGE = "drillmaster-test/busybox:latest"  # local: scripts/test-images builds it


class Store(drillmaster.Service):
    name = "store"
    image = IMAGE
    # Stops at once on SIGTERM (a shell as PID 1 ignores it otherwise).
    cmd = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]

    def post_start_init(self):
        # Runs once per new container, before dependants start.
        drillmaster.Context["store_token"] = f"token-of-{self.container_name}"


class Web(drillmaster.Service):
    name = "web"
    build_from = "web"  # relative to this file's directory
    dependencies = ["store"]
    env = {"STORE_TOKEN": "{store_token}"}
    ports = {8080: None}  # a free host port, chosen by the engine

    def ping(self):
        host, port = self.address(8080)
        with urllib.request.urlopen(f"http://{host}:{port}/", timeout=1) as answer:
            return b"hello from the web service" in answer.read()


# Started before the first test that asks for it, stopped and removed after
# the last one (and removed by drillmaster's reaper if the run is killed).
services = services_fixture(Store, Web)
