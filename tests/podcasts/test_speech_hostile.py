"""The speech client against a hostile or broken server on loopback: a redirect
elsewhere, a reply that drips, a reply far bigger than any line could be. Each
ends as a SpeechError-worthy failure (so the episode falls back to eSpeak NG)
within its timeout, without following the server anywhere or holding it all."""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from podcasts import speech

# Slow: real servers that drip, stall and time out.
pytestmark = pytest.mark.slow


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, reply):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply, self.seen = reply, []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class _Handler(BaseHTTPRequestHandler):
    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.seen.append((self.command, self.headers.get("Authorization")))
        with contextlib.suppress(OSError):  # the client hung up, as it should
            self.server.reply(self)

    do_GET = do_POST = _any  # noqa: N815 (http.server's names)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    servers = []

    def start(reply) -> _Server:
        servers.append(_Server(reply))
        return servers[-1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def config(server: _Server) -> speech.Config:
    return speech.Config(server.url, "m", "host", "guest", api_key="secret")


def test_a_redirect_is_not_followed_and_the_key_goes_nowhere_else(serve):
    elsewhere = serve(lambda h: (h.send_response(200), h.end_headers()))

    def redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", elsewhere.url + "/v1/audio/speech")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server = serve(redirect)
    with pytest.raises(urllib.error.HTTPError):
        speech.request_line("你好", "host", config(server), timeout=2)
    assert elsewhere.seen == []


def test_a_reply_that_drips_ends_at_the_timeout(serve):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"R")
            handler.wfile.flush()
            time.sleep(0.25)

    server = serve(drip)
    began = time.monotonic()
    with pytest.raises(TimeoutError):
        speech.request_line("你好", "host", config(server), timeout=1)
    # One byte every quarter second never fills a 64 KiB read: it took 10 s before.
    assert time.monotonic() - began < 2.5


@pytest.mark.parametrize("announce", [True, False])
def test_a_reply_bigger_than_any_line_is_refused_before_it_is_all_read(serve, announce):
    sent = []

    def flood(handler):
        handler.send_response(200)
        if announce:
            handler.send_header("Content-Length", str(1 << 30))
        handler.end_headers()
        block = b"RIFF" + bytes(65532)
        for _ in range(1 << 14):  # up to 1 GiB
            handler.wfile.write(block)
            sent.append(len(block))

    server = serve(flood)
    with pytest.raises(speech.SpeechError, match="太大"):
        speech.request_line("你好", "host", config(server), timeout=30)
    # Two characters are at most 5 s of 48 kHz stereo: under 1 MiB, plus headers.
    assert sum(sent) < 64 << 20
