"""A local stand-in for the WhatsApp Business Cloud API's message endpoint.

It speaks the protocol of ``POST /<version>/<phone-number-id>/messages`` as Meta
documents it: a bearer token, a JSON body with ``messaging_product``, ``to``,
``type: template`` and the template's name, language and body parameters; an
answer with ``contacts`` and ``messages[0].id`` (``wamid.…``), or an error object
``{"error": {"message", "type", "code", "error_data": {"details"}, "fbtrace_id"}}``
with the codes the real API uses (190 bad token, 100 bad request, 132001 unknown
template, 132000 wrong number of parameters, 132018 a parameter with a line break,
132005 a body over 1,024 characters, 131016 service unavailable). Templates are
"approved" with their parameter count.

Like Meta, it reports what became of each message it took to the app's webhook
when ``webhook_url`` is set: ``sent`` then ``delivered`` (and ``read`` for the numbers
in ``readers``), or ``failed`` with code 131026 for the numbers in
``undeliverable``, each POST signed with ``app_secret`` (``X-Hub-Signature-256``).

Tests run the app's real HTTP client against it; nothing of ours is mocked.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

VERSION = "v23.0"
TEMPLATES = {
    "rat_receipt": 4,
    "rat_returned": 4,
    "rat_accepted": 3,
    "rat_reminder": 4,
    "invitation": 4,
    "password_link": 4,
    "letter": 5,
    "confirmation_reviewed": 5,
}


class FakeCloudAPI:
    def __init__(
        self, *, token: str = "uji-token", phone_number_id: str = "109876543210"
    ) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.templates = dict(TEMPLATES)
        self.received: list[dict[str, Any]] = []
        self.failures: list[tuple[int, int]] = []  # (HTTP status, error code)
        self.delay = 0.0  # seconds before answering (a slow network)
        self.answer_without_id = False
        # Delivery reports to the app's webhook.
        self.webhook_url = ""
        self.app_secret = "uji-rahasia-aplikasi"
        self.undeliverable: set[str] = set()
        self.readers: set[str] = set()
        self.report_delay = 0.3  # Meta reports a second or so after taking a message
        # Report before answering the request that sent the message: the app then
        # hears what became of a message before it knows the message's id.
        self.report_before_answer = False
        self.reports: list[tuple[str, int]] = []  # (status reported, HTTP answer)
        self._reporting: list[threading.Thread] = []
        # One report at a time: the live server's threads share one connection to
        # SQLite's in-memory test database, which cannot take two transactions.
        self._report_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    # -- control -------------------------------------------------------------
    def start(self) -> "FakeCloudAPI":
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                time.sleep(api.delay)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, answer = api.answer(
                    self.path, self.headers.get("Authorization", ""), raw
                )
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the socket: requests now fail as when the network is down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, times: int, status: int = 503, code: int = 131016) -> None:
        self.failures.extend([(status, code)] * times)

    def settings(self, **extra: Any) -> dict[str, Any]:
        """What the app's settings must say to send here."""
        return {
            "WHATSAPP_API_URL": f"http://127.0.0.1:{self.port}/{VERSION}",
            "WHATSAPP_TOKEN": self.token,
            "WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id,
            "WHATSAPP_TEMPLATE_LANGUAGE": "id",
            "WHATSAPP_TEMPLATES": {},
            **extra,
        }

    # -- the protocol ----------------------------------------------------------
    @staticmethod
    def _error(
        status: int, code: int, message: str, details: str = ""
    ) -> tuple[int, dict[str, Any]]:
        error: dict[str, Any] = {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "AbCdEfGhIjK",
        }
        if details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": details}
        return status, {"error": error}

    def answer(
        self, path: str, authorization: str, raw: bytes
    ) -> tuple[int, dict[str, Any]]:
        if authorization != f"Bearer {self.token}":
            return self._error(401, 190, "Invalid OAuth access token.")
        if path != f"/{VERSION}/{self.phone_number_id}/messages":
            return self._error(
                400,
                100,
                f"Unsupported post request. Object with ID does not exist: {path}",
            )
        try:
            body = json.loads(raw)
        except ValueError:
            return self._error(400, 100, "Invalid parameter", "body is not JSON")
        self.received.append(body)
        if self.failures:
            status, code = self.failures.pop(0)
            return self._error(status, code, "Service temporarily unavailable")
        if body.get("messaging_product") != "whatsapp":
            return self._error(400, 100, "Invalid parameter", "messaging_product")
        to = str(body.get("to", ""))
        if not to.isdigit():
            return self._error(400, 100, "Invalid parameter", "to must be digits")
        template = body.get("template") or {}
        name = template.get("name")
        if body.get("type") != "template" or name not in self.templates:
            return self._error(
                404,
                132001,
                "(#132001) Template name does not exist in the translation",
                f"template name ({name}) does not exist in id",
            )
        params = [
            p.get("text", "")
            for c in template.get("components", [])
            if c.get("type") == "body"
            for p in c.get("parameters", [])
        ]
        if len(params) != self.templates[name]:
            return self._error(
                400,
                132000,
                "(#132000) Number of parameters does not match the expected "
                "number of params",
                f"body: number of localizable_params ({len(params)}) does not match "
                f"the expected number of params ({self.templates[name]})",
            )
        if any("\n" in p or "\t" in p or "     " in p for p in params):
            return self._error(
                400,
                132018,
                "(#132018) There was an issue with the parameters in your template.",
                "Param text cannot have new-line/tab characters or more than 4 "
                "consecutive spaces",
            )
        # The registered texts take about 150 characters besides the parameters;
        # a body over 1,024 characters is refused.
        if sum(len(p) for p in params) + 150 > 1024:
            return self._error(
                400,
                132005,
                "(#132005) Translated text too long",
                "Translated text is too long after the parameters are filled in",
            )
        if self.answer_without_id:
            return 200, {
                "messaging_product": "whatsapp",
                "contacts": [],
                "messages": [],
            }
        message_id = f"wamid.HBgLNjI{next(self._ids):08d}"
        if self.webhook_url and self.report_before_answer:
            self._report(message_id, to)
        elif self.webhook_url:
            thread = threading.Thread(target=self._report, args=(message_id, to))
            self._reporting.append(thread)
            thread.start()
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": message_id}],
        }

    def sent(self) -> list[tuple[str, str, list[str]]]:
        """(to, template, parameters) of each request received."""
        return [
            (
                b["to"],
                b["template"]["name"],
                [
                    p["text"]
                    for c in b["template"]["components"]
                    for p in c["parameters"]
                ],
            )
            for b in self.received
        ]

    # -- delivery reports --------------------------------------------------------
    def _report(self, message_id: str, to: str) -> None:
        time.sleep(self.report_delay)
        if to in self.undeliverable:
            states = ["failed"]
        else:
            states = ["sent", "delivered", *(["read"] if to in self.readers else [])]
        for state in states:
            status = status_report(message_id, state, to)
            with self._report_lock:
                answer = self.post_report(report_payload([status]))
            self.reports.append((state, answer))

    def post_report(self, payload: dict[str, Any], *, secret: str | None = None) -> int:
        """POST ``payload`` to the webhook as Meta does; the HTTP status answered."""
        body = json.dumps(payload).encode()
        request = urllib.request.Request(
            self.webhook_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(body, secret or self.app_secret),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def send_incoming(
        self, sender: str, text: str, *, name: str = "", context_id: str = ""
    ) -> tuple[str, int]:
        """Someone writes ``text`` to the business number from ``sender`` (digits),
        answering message ``context_id`` when given: Meta posts the message to the
        webhook. Its id and the HTTP status answered."""
        message_id = f"wamid.MASUK{next(self._ids):08d}"
        message = incoming_message(message_id, sender, text, context_id=context_id)
        payload = messages_payload([message], {sender: name})
        return message_id, self.post_report(payload)

    def wait_for_reports(self, timeout: float = 10) -> list[tuple[str, int]]:
        """Every report posted so far, once each has had its answer."""
        for thread in self._reporting:
            thread.join(timeout)
        return list(self.reports)


def sign(body: bytes, secret: str) -> str:
    """Meta's ``X-Hub-Signature-256``: HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def status_report(
    message_id: str, state: str, to: str, *, timestamp: int | None = None
) -> dict[str, Any]:
    """One status object as the Cloud API writes it."""
    status: dict[str, Any] = {
        "id": message_id,
        "status": state,
        "timestamp": str(int(time.time()) if timestamp is None else timestamp),
        "recipient_id": to,
    }
    if state in ("sent", "delivered"):
        status["conversation"] = {
            "id": "CONVERSATION_ID",
            "origin": {"type": "utility"},
        }
        status["pricing"] = {
            "billable": True,
            "pricing_model": "CBP",
            "category": "utility",
        }
    if state == "failed":
        status["errors"] = [
            {
                "code": 131026,
                "title": "Message undeliverable",
                "message": "Message undeliverable",
                "error_data": {"details": "Message Undeliverable."},
                "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/"
                "support/error-codes/",
            }
        ]
    return status


def report_payload(statuses: list[dict[str, Any]]) -> dict[str, Any]:
    """A webhook body carrying ``statuses``, as Meta posts it."""
    return _payload({"statuses": statuses})


def messages_payload(
    messages: list[dict[str, Any]], names: dict[str, str] | None = None
) -> dict[str, Any]:
    """A webhook body carrying incoming ``messages``, with their senders' profile
    names (``names``: number -> name), as Meta posts it."""
    contacts = [
        {"profile": {"name": name}, "wa_id": number}
        for number, name in (names or {}).items()
    ]
    return _payload({"contacts": contacts, "messages": messages})


def _payload(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": "109876543210",
                            },
                            **fields,
                        },
                    }
                ],
            }
        ],
    }


def incoming_message(
    message_id: str,
    sender: str,
    text: str,
    *,
    context_id: str = "",
    timestamp: int | None = None,
) -> dict[str, Any]:
    """One text message someone sent to the business number, as the Cloud API
    writes it in ``value.messages``."""
    message: dict[str, Any] = {
        "from": sender,
        "id": message_id,
        "timestamp": str(int(time.time()) if timestamp is None else timestamp),
        "type": "text",
        "text": {"body": text},
    }
    if context_id:
        message["context"] = {"from": "15550000000", "id": context_id}
    return message
