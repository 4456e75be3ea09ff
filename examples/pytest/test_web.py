"""Two tests against the services of conftest.py, started once for both."""

import urllib.request


def get(services, path):
    host, port = services.address("web", 8080)
    with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=10) as answer:
        return answer.read().decode()


def test_the_page_is_served(services):
    assert "hello from the web service" in get(services, "/")


def test_web_got_the_token_the_store_made(services):
    token = services.context["store_token"]
    assert token == f"token-of-{services.group}-store-1"
    assert get(services, "/token.txt").strip() == token
