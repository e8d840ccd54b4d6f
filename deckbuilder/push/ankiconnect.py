"""Talking to the running Anki desktop through its AnkiConnect add-on (AnkiWeb code 2055492159).

Every action is one HTTP POST of `{"action", "version": 6, "params", "key"}`; AnkiConnect answers HTTP 200
with `{"result": …, "error": …}`, an error being a string. It serves requests one at a time on Anki's main
thread, so an action answers only once it is done (`importPackage` once the import is committed).

Whatever goes wrong on the way becomes AnkiUnavailable: one line saying what to do, exit 1.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import click

from deckbuilder.problems import display_path

ADDON_CODE = "2055492159"
DEFAULT_URL = "http://127.0.0.1:8765"
DEFAULT_TIMEOUT = 60  # seconds; importing a 100,000-card package takes a few
API_VERSION = 6
URL_VARIABLE = "DECKBUILDER_ANKI_URL"
KEY_VARIABLE = "DECKBUILDER_ANKI_KEY"
START_ANKI = f"start Anki with the AnkiConnect add-on (code {ADDON_CODE})"
# AnkiConnect's own words for a request without the apiKey its settings ask for, or with another one.
WRONG_KEY = "valid api key must be provided"
NO_PROFILE = "collection is not available"
# Anki puts user input between Unicode isolates in its messages: invisible, and noise in a terminal.
ISOLATES = {ord("\u2068"): None, ord("\u2069"): None}


class AnkiUnavailable(click.ClickException):
    """Anki could not be asked, or refused: what to do, in one line; exit 1."""

    exit_code = 1


@dataclass(frozen=True)
class AnkiConnect:
    """The address of AnkiConnect, the add-on's API key if its settings set one, and how long to wait."""

    url: str = DEFAULT_URL
    key: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def call(self, action: str, **params: Any) -> Any:
        """One action's result; an error AnkiConnect reports is AnkiUnavailable (see `refusal`)."""
        result, error = self.reply(self.request(action, params))
        if error is not None:
            raise self.refusal(action, error, params)
        return result

    def call_each(self, action: str, each: list[dict]) -> list:
        """The action once for each of the params in `each`, in one request (AnkiConnect's `multi`): their
        results, in order; the first error AnkiConnect reports is AnkiUnavailable."""
        replies = self.call("multi", actions=[self.request(action, params) for params in each])
        for params, reply in zip(each, replies):
            if reply["error"] is not None:
                raise self.refusal(action, reply["error"], params)
        return [reply["result"] for reply in replies]

    def request(self, action: str, params: dict) -> dict:
        body = {"action": action, "version": API_VERSION, "params": params}
        if self.key is not None:
            body["key"] = self.key
        return body

    def reply(self, body: dict) -> tuple[Any, str | None]:
        """AnkiConnect's (result, error) for a request; AnkiUnavailable if nothing, or something else, answers."""
        raw = self.post(json.dumps(body).encode("utf-8"))
        try:
            reply = json.loads(raw)
            return reply["result"], reply["error"]
        except (ValueError, TypeError, KeyError):
            raise AnkiUnavailable(f"{self.url} does not answer as AnkiConnect does: give AnkiConnect's address "
                                  f"with --anki-url (or {URL_VARIABLE}); its own is {DEFAULT_URL}") from None

    def post(self, data: bytes) -> bytes:
        request = urllib.request.Request(self.url, data=data, headers={"Content-Type": "application/json"})
        try:
            with DIRECT.open(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:  # AnkiConnect always answers 200: something else is there
            raise AnkiUnavailable(f"{self.url} answered HTTP {error.code} ({error.reason}): give AnkiConnect's "
                                  f"address with --anki-url (or {URL_VARIABLE})") from None
        except (TimeoutError, socket.timeout):
            raise self.no_answer() from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise self.no_answer() from None
            raise self.unreachable(error.reason) from None
        except (OSError, http.client.HTTPException) as error:  # closed without an answer, reset
            raise self.unreachable(error) from None

    def unreachable(self, reason) -> AnkiUnavailable:
        why = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
        return AnkiUnavailable(f"nothing answers at {self.url} ({why.lower()}): {START_ANKI}, "
                               f"or give its address with --anki-url (or {URL_VARIABLE})")

    def no_answer(self) -> AnkiUnavailable:
        return AnkiUnavailable(f"Anki did not answer at {self.url} within {self.timeout:g} s: close any dialog open "
                               "in Anki and push again (an import already sent may still finish; --anki-timeout "
                               "waits longer)")

    def refusal(self, action: str, error: str, params: dict) -> AnkiUnavailable:
        """AnkiConnect's error for `action`, with what to do about it."""
        error = " ".join(str(error).translate(ISOLATES).split())
        if error == WRONG_KEY:
            given = "refused the API key given" if self.key is not None else "asks for an API key"
            return AnkiUnavailable(f"AnkiConnect at {self.url} {given}: give the apiKey of its settings (Tools > "
                                   f"Add-ons > AnkiConnect > Config) with --anki-key or {KEY_VARIABLE}")
        if error == NO_PROFILE:
            return AnkiUnavailable("Anki has no profile open: open yours in Anki, then push again")
        if action == "importPackage":  # Anki opens the package itself: it must be on Anki's machine
            return AnkiUnavailable(f"Anki could not import {display_path(params['path'])}: {error}")
        return AnkiUnavailable(f"AnkiConnect refused '{action}': {error}")


# AnkiConnect listens on this machine: a proxy set in the environment must not carry the requests away.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def check_version(anki: AnkiConnect) -> None:
    """AnkiUnavailable unless AnkiConnect answers at `anki.url`, takes the key, and speaks version 6 of its API."""
    version = anki.call("version")
    if not isinstance(version, int) or version < API_VERSION:
        raise AnkiUnavailable(f"AnkiConnect at {anki.url} speaks version {version} of its API; deckbuilder needs "
                              f"{API_VERSION}: update the add-on (Tools > Add-ons > Check for Updates)")
