"""What `deckbuilder push` says when AnkiConnect cannot be asked: nothing listening, no answer in time, something
else on the port, an error AnkiConnect reports. Local stand-ins play the other side here (real Anki's own
answers are in test_push.py); the package and lock file are written all the same.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from contextlib import contextmanager

import pytest

from tests.support.cli import run
from tests.support.decks import MINIMAL_DECK

BUILT = "build/demo.apkg: Demo deck — 1 note, 1 card\n"


@contextmanager
def server(answer):
    """An HTTP server on a free port answering every POST with `answer(request body)` (bytes); yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = answer(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()


def ankiconnect(answers: dict):
    """AnkiConnect's way of answering: `answers[action]` is the result, or an exception's text is the error."""

    def answer(request: dict) -> bytes:
        result = answers[request["action"]]
        if isinstance(result, Exception):
            return json.dumps({"result": None, "error": str(result)}).encode()
        return json.dumps({"result": result, "error": None}).encode()

    return answer


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_nothing_listening(minimal_project):
    port = closed_port()
    result = run("push", "--anki-url", f"http://127.0.0.1:{port}")
    assert (result.exit_code, result.output) == (1, BUILT + (
        f"Error: nothing answers at http://127.0.0.1:{port} (connection refused): start Anki with the AnkiConnect "
        "add-on (code 2055492159), or give its address with --anki-url (or DECKBUILDER_ANKI_URL)\n"))
    assert (minimal_project / "build" / "demo.apkg").is_file() and (minimal_project / "cards" / "demo.lock").is_file()


def test_the_address_comes_from_the_environment_too(minimal_project, monkeypatch):
    port = closed_port()
    monkeypatch.setenv("DECKBUILDER_ANKI_URL", f"http://127.0.0.1:{port}")
    assert f"nothing answers at http://127.0.0.1:{port} " in run("push").output


def test_no_answer_in_time(minimal_project):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        result = run("push", "--anki-url", url, "--anki-timeout", "0.5")
    assert (result.exit_code, result.output) == (1, BUILT + (
        f"Error: Anki did not answer at {url} within 0.5 s: close any dialog open in Anki and push again (an import "
        "already sent may still finish; --anki-timeout waits longer)\n"))


def test_something_else_on_the_port(minimal_project):
    with server(lambda request: b"<html>a web page</html>") as url:
        result = run("push", "--anki-url", url)
    assert (result.exit_code, result.output) == (1, BUILT + (
        f"Error: {url} does not answer as AnkiConnect does: give AnkiConnect's address with --anki-url (or "
        "DECKBUILDER_ANKI_URL); its own is http://127.0.0.1:8765\n"))


@pytest.mark.parametrize("answers, message", [
    ({"version": 5}, "AnkiConnect at {url} speaks version 5 of its API; deckbuilder needs 6: update the add-on "
                     "(Tools > Add-ons > Check for Updates)"),
    ({"version": RuntimeError("collection is not available")},
     "Anki has no profile open: open yours in Anki, then push again"),
    ({"version": 6, "exportPackage": False,
      "importPackage": RuntimeError("Failed to open '/x/build/demo.apkg':\n No such file or directory (os error 2)")},
     "Anki could not import build/demo.apkg: Failed to open '/x/build/demo.apkg': No such file or directory "
     "(os error 2)"),
    ({"version": 6, "exportPackage": RuntimeError("Invalid deck name: \u2068Demo deck\u2069")},
     "AnkiConnect refused 'exportPackage': Invalid deck name: Demo deck"),
])
def test_what_ankiconnect_reports_is_one_line(minimal_project, answers, message):
    with server(ankiconnect(answers)) as url:
        result = run("push", "--anki-url", url)
    assert (result.exit_code, result.output) == (1, BUILT + f"Error: {message.format(url=url)}\n")


def test_the_key_goes_with_every_action(minimal_project):
    keys = []

    def answer(request: dict) -> bytes:
        keys.append(request.get("key"))
        result = {"version": 6, "exportPackage": False, "importPackage": True}[request["action"]]
        return json.dumps({"result": result, "error": None}).encode()

    with server(answer) as url:
        assert run("push", "--anki-url", url, "--anki-key", "s3cret").exit_code == 0
    assert keys and set(keys) == {"s3cret"}


@pytest.mark.parametrize("option, value, message", [
    ("--anki-url", "localhost:8765", "Invalid value for '--anki-url': 'localhost:8765' is not an address such as "
                                     "http://127.0.0.1:8765"),
    ("--anki-timeout", "0", "Invalid value for '--anki-timeout': 0 is not a number of seconds above 0"),
])
def test_wrong_usage(minimal_project, option, value, message):
    result = run("push", option, value)
    assert result.exit_code == 2 and result.output.endswith(f"Error: {message}\n")
    assert not (minimal_project / "build").exists(), "nothing built"


def test_a_deck_with_a_problem_is_not_pushed(minimal_project):
    (minimal_project / "cards" / "demo.yaml").write_text(MINIMAL_DECK.replace("        back: One\n", ""))
    result = run("push", "--anki-url", f"http://127.0.0.1:{closed_port()}")
    assert (result.exit_code, result.output) == (1, "cards/demo.yaml:11:9: 'back' is required (basic card needs a "
                                                    "back: the answer)\n1 problem found; nothing was written.\n")
