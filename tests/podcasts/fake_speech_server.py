"""A fake OpenAI-compatible speech server (POST /v1/audio/speech) on loopback.

It answers each line with a tone as 16-bit mono WAV, 0.2 s per character of
the input (its length is known, so tests can check line times), a lower tone
for the host's voice than for the guest's, and records every request. Tests
make it fail: a 500, a delay past the timeout, silence, for lines containing
a word. For trying the podcast by hand:

    python -m tests.podcasts.fake_speech_server --port 8765
    TTS_BASE_URL=http://127.0.0.1:8765 TTS_MODEL=fake-tts \\
        TTS_VOICE_HOST=host TTS_VOICE_GUEST=guest make run

`--fail` answers every request with a 500, to see the eSpeak NG fallback.
"""

from __future__ import annotations

import argparse
import io
import json
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RATE = 24000
SECONDS_PER_CHAR = 0.2
TONES = {"host": 240, "guest": 300}  # Hz: a whole number of samples per period at 24 kHz
AMPLITUDE = 8000


def seconds_for(text: str) -> float:
    """How long the fake speaks `text`."""
    return round(SECONDS_PER_CHAR * sum(not c.isspace() for c in text) * RATE) / RATE


def tone(seconds: float, frequency: int, rate: int = RATE, *, silent: bool = False) -> bytes:
    """A square-ish tone, 16-bit little-endian samples: one period repeated."""
    import array

    period = rate // frequency
    one = array.array(
        "h",
        [0 if silent else (AMPLITUDE if i < period // 2 else -AMPLITUDE) for i in range(period)],
    )
    count = round(seconds * rate)
    data = one.tobytes() * (count // period + 1)
    return data[: 2 * count]


def wav(samples: bytes, rate: int = RATE) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(samples)
    return out.getvalue()


class FakeSpeechServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.fail_on: str | None = None  # a 500 for inputs containing this ("" for every one)
        self.fail_times: int | None = None  # … only for the first N such requests
        self.slow_on: str | None = None  # wait `delay` seconds before answering these
        self.delay = 0.0
        self.silent_on: str | None = None
        self.rate = RATE
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FakeSpeechServer:
        # A short poll: shutdown() waits up to one poll interval (0.5 s by default).
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FakeSpeechServer

    def do_POST(self):  # noqa: N802 (http.server's name)
        fake = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        text = body.get("input", "")
        with fake.lock:
            fake.requests.append(
                {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
            )
            fake.in_flight += 1
            fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
            failing = fake.fail_on is not None and fake.fail_on in text
            if failing and fake.fail_times is not None:
                failing = fake.fail_times > 0
                fake.fail_times -= 1
        try:
            if fake.slow_on is not None and fake.slow_on in text:
                time.sleep(fake.delay)
            else:
                time.sleep(0.01)  # a little, so requests overlap
            if failing:
                self._send(500, b'{"error": "boom"}', "application/json")
                return
            silent = fake.silent_on is not None and fake.silent_on in text
            frequency = TONES["host"] if body.get("voice") == "host" else TONES["guest"]
            samples = tone(seconds_for(text), frequency, fake.rate, silent=silent)
            self._send(200, wav(samples, fake.rate), "audio/wav")
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            pass
        finally:
            with fake.lock:
                fake.in_flight -= 1

    def _send(self, status: int, payload: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fail", action="store_true", help="answer every request with a 500")
    args = parser.parse_args()
    server = FakeSpeechServer(args.port)
    if args.fail:
        server.fail_on = ""
    print(f"fake speech server on {server.url}/v1/audio/speech (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


if __name__ == "__main__":
    main()
