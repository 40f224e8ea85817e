"""A real SMTP server for tests (aiosmtpd), recording what it accepts."""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class RecordingHandler:
    """An MTA that records what it accepts. ``delay_first`` seconds of silence before answering
    the first N messages' DATA: a slow server. A client that goes away meanwhile gets no 250,
    and the message is not accepted (aiosmtpd cancels the handler when the connection drops)."""

    delay_first: int = 0
    delay_seconds: float = 0.0
    messages: list[EmailMessage] = field(default_factory=list)
    data_started: threading.Event = field(default_factory=threading.Event)
    _seen: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self._seen += 1
        self.data_started.set()
        if self._seen <= self.delay_first:
            await asyncio.sleep(self.delay_seconds)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: RecordingHandler

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def email_url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html
