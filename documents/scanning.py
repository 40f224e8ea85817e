"""Virus scanning of uploads by clamd, when one is configured (``CLAMD_URL``).

A small client for clamd's INSTREAM command (``man clamd``): the file is streamed to the daemon
in length-prefixed chunks, so clamd needs no access to our storage. It is written here rather
than taken from the ``clamd`` package on PyPI, which has not been maintained since 2019.

Scanning fails closed: once clamd is configured, a file it did not pass is not accepted, even
when clamd cannot be reached or answers something we do not understand. Logs name the outcome
and the signature, never the file, its name or who sent it.
"""

from __future__ import annotations

import logging
import socket
import struct
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

_CHUNK_BYTES = 64 * 1024
_MAX_REPLY_BYTES = 4096


class ScannerUnavailable(Exception):
    """clamd is configured but gave no verdict (unreachable, timed out, refused or garbled)."""


def scanning_enabled() -> bool:
    return bool(settings.CLAMD_URL)


def scan_for_viruses(content: bytes) -> str | None:
    """The name of what clamd found in ``content``, or None when it found nothing.

    Raises ``ScannerUnavailable`` when clamd did not give a verdict.
    """
    try:
        with _connect(settings.CLAMD_URL, settings.CLAMD_TIMEOUT) as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), _CHUNK_BYTES):
                chunk = content[start : start + _CHUNK_BYTES]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = _read_reply(connection)
    except OSError as error:  # refused, reset, timed out (socket.timeout is an OSError)
        logger.warning("Virus scanner unreachable (%s); upload refused", type(error).__name__)
        raise ScannerUnavailable from error
    # "stream: OK", "stream: Eicar-Signature FOUND", or "... ERROR" (a size limit, a fault).
    if reply == "stream: OK":
        return None
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream: ").removesuffix(" FOUND")
        logger.warning("Virus scanner found %s; upload refused", signature)
        return signature
    logger.warning("Virus scanner gave no verdict (%r); upload refused", reply[:200])
    raise ScannerUnavailable(reply)


def _connect(url: str, timeout: float) -> socket.socket:
    parts = urlsplit(url)
    if parts.scheme == "unix" and parts.path:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        try:
            connection.connect(parts.path)
        except OSError:
            connection.close()
            raise
        return connection
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        return socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    # A mistyped setting must not quietly switch scanning off.
    logger.error("CLAMD_URL is neither tcp://host:port nor unix:///path; upload refused")
    raise ScannerUnavailable("CLAMD_URL is not usable")


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while b"\0" not in reply and len(reply) < _MAX_REPLY_BYTES:
        data = connection.recv(_MAX_REPLY_BYTES)
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
