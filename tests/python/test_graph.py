"""``spec.py graph``: the dependency graph as Mermaid (checked by its
structure here) and DOT (checked by Graphviz's own ``dot -Tsvg``), printed
without an engine, and coloured by the real containers' states with
``--status`` after a start."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from typing import Dict, List, Tuple

import pytest
from conftest import REPO

NOWHERE = {"DOCKER_HOST": "unix:///nonexistent/docker.sock"}

# db <- cache, db <- queue, {cache, queue} <- app: a diamond, and an image a
# label must quote.
DIAMOND = """
class Db(drillmaster.Service):
    name = "db"
    image = "registry.local:5000/team/pg@sha256:0123abcd"

class Cache(drillmaster.Service):
    name = "cache"
    image = IMAGE
    dependencies = ["db"]

class Queue(drillmaster.Service):
    name = "job-queue"
    image = IMAGE
    dependencies = ["db"]

class App(drillmaster.Service):
    name = "app"
    build_from = "app"
    dependencies = ["job-queue", "cache"]
"""

# Two services that run for real: web needs db.
RUNNING = """
class Db(drillmaster.Service):
    name = "db"
    image = IMAGE
    cmd = LOOP
    stop_signal = "SIGKILL"

class Web(drillmaster.Service):
    name = "web"
    image = IMAGE
    cmd = LOOP
    stop_signal = "SIGKILL"
    dependencies = ["db"]
"""

NODE = re.compile(r'^    (\w+)\["((?:[^"])*)"\]$')
EDGE = re.compile(r"^    (\w+) --> (\w+)$")
CLASS = re.compile(r"^    class (\w+) (\w+)$")
CLASSDEF = re.compile(r"^    classDef (\w+) fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6}$")


def parse_mermaid(text: str) -> Tuple[Dict[str, str], List[Tuple[str, str]], Dict[str, str]]:
    """Nodes (id -> label), edges and classes of a flowchart, asserting its
    structure: the header, every node declared once, every edge and class
    between declared nodes, every class used defined."""
    lines = text.splitlines()
    assert lines[0] in ("flowchart TD", "graph TD"), lines[0]
    nodes: Dict[str, str] = {}
    edges: List[Tuple[str, str]] = []
    classes: Dict[str, str] = {}
    defined = set()
    for line in lines[1:]:
        if m := NODE.match(line):
            assert m[1] not in nodes, f"node {m[1]} declared twice"
            nodes[m[1]] = m[2]
        elif m := EDGE.match(line):
            assert m[1] in nodes and m[2] in nodes, line
            edges.append((m[1], m[2]))
        elif m := CLASS.match(line):
            assert m[1] in nodes, line
            classes[m[1]] = m[2]
        elif m := CLASSDEF.match(line):
            defined.add(m[1])
        else:
            raise AssertionError(f"not a line of the graph: {line!r}")
    assert set(classes.values()) <= defined, (classes, defined)
    return nodes, edges, classes


def check_dot(text: str) -> str:
    """The SVG Graphviz draws from ``text``; fails on any syntax error."""
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz's dot is not installed (scripts/setup installs graphviz)")
    drawn = subprocess.run([dot, "-Tsvg"], input=text, capture_output=True, text=True, timeout=60)
    assert drawn.returncode == 0 and not drawn.stderr, drawn.stderr
    assert "<svg" in drawn.stdout
    return drawn.stdout


def test_mermaid_without_an_engine_is_the_whole_graph(offline_spec):
    offline_spec.write(DIAMOND)
    result = offline_spec.run("graph", env=NOWHERE)
    assert result.returncode == 0, result.stderr
    nodes, edges, classes = parse_mermaid(result.stdout)
    # Definition order; an arrow from each service to each one it needs.
    assert list(nodes) == ["svc_db", "svc_cache", "svc_job_queue", "svc_app"]
    assert nodes["svc_db"] == "db<br/>registry.local:5000/team/pg@sha256:0123abcd"
    assert nodes["svc_job_queue"] == "job-queue<br/>drillmaster-test/busybox:latest"
    assert nodes["svc_app"] == "app<br/>built from app"
    assert edges == [
        ("svc_cache", "svc_db"),
        ("svc_job_queue", "svc_db"),
        ("svc_app", "svc_cache"),
        ("svc_app", "svc_job_queue"),
    ]
    assert classes == {}
    # The same definition gives the same text.
    assert offline_spec.run("graph", env=NOWHERE).stdout == result.stdout


def test_dot_without_an_engine_is_drawn_by_graphviz(offline_spec):
    offline_spec.write(DIAMOND)
    result = offline_spec.run("graph", "--format", "dot", env=NOWHERE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f'digraph "{offline_spec.group}" {{\n')
    assert '"app" -> "job-queue";' in result.stdout
    svg = html.unescape(check_dot(result.stdout))  # SVG writes '-' as &#45;
    for label in ("job-queue", "registry.local:5000/team/pg@sha256:0123abcd", "built from app"):
        assert label in svg


def test_an_unknown_dependency_is_a_definition_error_not_a_picture(offline_spec):
    offline_spec.write(DIAMOND.replace('["job-queue", "cache"]', '["job-queue", "cahce"]'))
    result = offline_spec.run("graph", env=NOWHERE)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "'cahce'" in result.stderr and "app" in result.stderr


def test_an_unknown_format_is_a_usage_error(offline_spec):
    offline_spec.write(DIAMOND)
    result = offline_spec.run("graph", "--format", "png", env=NOWHERE)
    assert result.returncode == 2
    assert "'png' is not one of 'mermaid', 'dot'" in result.stderr


def test_status_without_an_engine_says_so(offline_spec):
    offline_spec.write(DIAMOND)
    result = offline_spec.run("graph", "--status", env=NOWHERE)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "/nonexistent/docker.sock" in result.stderr


@pytest.mark.engine
def test_status_colours_the_running_services(spec):
    spec.write(RUNNING)
    started = spec.run("start", "--exclude", "web")
    assert started.returncode == 0, started.stderr
    assert spec.status()["db"]["state"] == "running"

    result = spec.run("graph", "--status")
    assert result.returncode == 0, result.stderr
    _, edges, classes = parse_mermaid(result.stdout)
    assert edges == [("svc_web", "svc_db")]
    assert classes == {"svc_db": "running", "svc_web": "missing"}

    dot = spec.run("graph", "--status", "--format", "dot")
    assert dot.returncode == 0, dot.stderr
    assert re.search(r'"db" \[[^\]]*class="running", style=filled, fillcolor="#', dot.stdout)
    assert re.search(r'"web" \[[^\]]*class="missing", style=filled', dot.stdout)
    check_dot(dot.stdout)
    # Looking changed nothing.
    assert spec.status()["db"]["state"] == "running"
    assert spec.status()["web"]["state"] == "missing"


def test_the_readme_shows_what_graph_prints_for_its_example(offline_spec):
    """README.md's "Seeing the graph" block is the command's output for the
    README's example spec, not a drawing by hand."""
    readme = (REPO / "README.md").read_text()
    example = re.findall(r"```python\n(.*?)```", readme, re.S)[0]
    shown = re.findall(r"```mermaid\n(.*?)```", readme, re.S)
    assert len(shown) == 1, "README.md should show one mermaid graph"
    offline_spec.path.write_text(example)
    result = offline_spec.run("graph", env=NOWHERE)
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown[0]
    parse_mermaid(result.stdout)
