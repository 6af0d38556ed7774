"""A real SMTP server (aiosmtpd), a private Redis server, and pointing Celery at a broker for one test."""

import asyncio
import contextlib
import shutil
import socket
import subprocess
import time

import pytest
from aiosmtpd.controller import Controller

from config.celery import app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An SMTP server's handler. Like a real mail server, it takes responsibility for a message only once it can
    still answer "250 OK": a client that vanished while the server was busy gets nothing delivered."""

    def __init__(self):
        self.messages = []
        self.receiving = 0
        self.slow_first = 0.0

    async def handle_DATA(self, server, session, envelope):
        self.receiving += 1
        if self.receiving == 1 and self.slow_first:
            await asyncio.sleep(self.slow_first)
            # The client's end closed while we were busy (its process was killed): nobody can be told "250".
            if server.transport is None or server.transport.is_closing() or server._reader.at_eof():
                return "451 Client went away"
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port; Django sends to it for this test."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox.port = port
    yield inbox
    controller.stop()


class PrivateRedis:
    """A redis-server of this test's own, on a free port, that the test may stop and start."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return
            time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis():
    """Start a private Redis (never the shared one on 6379, which others use); stopped at the end."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary (apt-get install redis-server) for a Redis this test may stop")
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


def _reset_broker_pools():
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str):
    """Send tasks through this broker for real (not eagerly), then put Celery back as it was."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _reset_broker_pools()
    try:
        yield app
    finally:
        # Not force_close_all(): app.pool is kombu's process-wide pool for that URL, which later tests reuse.
        app.conf.broker_url, app.conf.task_always_eager = saved
        _reset_broker_pools()
