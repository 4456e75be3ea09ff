#! /usr/bin/env python3
"""An example spec: three services on the local busybox image.

- ``store`` stands in for a database: its init hook stores a token in the
  Context, which fills the ``{store_token}`` placeholder of ``app``'s env;
- ``web`` is built from ./web/Dockerfile and serves a page on a published
  port; its ping hook asks for that page over HTTP, so it counts as running
  only once httpd answers (a TCP connect alone would succeed too early);
- ``app`` depends on both.

    ./spec.py start      # build web, start store and web in parallel, then app
    ./spec.py status     # or ps, or status --json
    ./spec.py logs app
    ./spec.py reload web # after editing web/index.html
    ./spec.py stop --remove
"""

import os
import urllib.request

import drillmaster

IMAGE = "drillmaster-test/busybox:latest"
WEB_PORT = int(os.environ.get("DRILLMASTER_EXAMPLE_PORT", "18080"))
# Stops at once on SIGTERM.
LOOP = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]

drillmaster.group_name(os.environ.get("DRILLMASTER_EXAMPLE_GROUP", "example"))


class Store(drillmaster.Service):
    name = "store"
    image = IMAGE
    cmd = LOOP

    def post_start_init(self):
        # Runs once, after the container's first successful ping.
        drillmaster.Context["store_token"] = f"token-of-{self.container_name}"


class Web(drillmaster.Service):
    name = "web"
    build_from = "web"
    # Locally the same as {8080: WEB_PORT}. On a swarm (--target swarm),
    # mode=host publishes on the node that runs the task, which the ping
    # reaches without the routing mesh (ports that say no mode use the mesh).
    ports = [f"published={WEB_PORT},target=8080,mode=host"]

    def ping(self):
        # Connection errors mean "not ready yet"; any other exception fails
        # the service at once.
        with urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/", timeout=1) as answer:
            return b"hello from the web service" in answer.read()


class App(drillmaster.Service):
    name = "app"
    image = IMAGE
    dependencies = ["store", "web"]
    env = {"STORE_TOKEN": "{store_token}", "WEB_URL": "http://web:8080/"}
    cmd = ["sh", "-c", "echo app sees STORE_TOKEN=$STORE_TOKEN; wget -qO- $WEB_URL; " + LOOP[2]]


@drillmaster.on_start_services
def started(names):
    print(f"on_start_services: {', '.join(names)} running; web on http://127.0.0.1:{WEB_PORT}/")


if __name__ == "__main__":
    drillmaster.main()
