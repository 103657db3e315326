"""Optional neural voices: an OpenAI-compatible speech server (/v1/audio/speech).

Used only when TTS_BASE_URL, TTS_MODEL, TTS_VOICE_HOST and TTS_VOICE_GUEST are
set (TTS_API_KEY if the server wants one), the way `generator.llm` uses an
optional LLM. Each script line is one request for WAV, checked here — a RIFF
PCM 16-bit header, a sample rate MP3 can carry, a length plausible for the
text, not silence — and any failure after the retries is a `SpeechError`:
`podcasts.audio` then speaks the whole episode with eSpeak NG instead, never a
mix of voices. No ORM, no settings: the caller passes timeouts and retries.
"""

from __future__ import annotations

import array
import http.client
import json
import math
import os
import struct
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass

ESPEAK_LABEL = "eSpeak NG\uff08离线\uff09"
# The sample rates an MP3 (MPEG-1, 2 and 2.5) can carry: a line at another rate
# is resampled to the episode's rate.
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
DEFAULT_RATE = 24000  # what OpenAI's API documents for its PCM; most servers' WAV too
# Mandarin speech runs at 3 to 6 characters a second; a reply far outside
# this for its text is not the text spoken (cut off, or a canned clip).
MIN_SECONDS_PER_CHAR = 1 / 15
MAX_SECONDS_PER_CHAR = 1.0
MIN_SECONDS = 0.2
SILENCE_RMS = 100  # of 32767: under this, the reply is silence or hiss


class SpeechError(Exception):
    """The server failed a line: an HTTP or network error, a timeout, bad audio."""


@dataclass(frozen=True)
class Config:
    base_url: str
    model: str
    voice_host: str
    voice_guest: str
    api_key: str = ""

    @property
    def label(self) -> str:
        """How the page names the voice: the model (a server's voices are its own names)."""
        return self.model

    @property
    def key(self) -> str:
        """What the episode's content hash takes from the backend: a change of
        server, model or either voice renders the episode again."""
        return json.dumps(
            ["openai-speech", self.base_url, self.model, self.voice_host, self.voice_guest]
        )

    def voice(self, first_host: bool) -> str:
        return self.voice_host if first_host else self.voice_guest


def config(environ=os.environ) -> Config | None:
    """The configured speech server, or None: eSpeak NG speaks, as without one."""
    values = [
        environ.get(name, "").strip()
        for name in ("TTS_BASE_URL", "TTS_MODEL", "TTS_VOICE_HOST", "TTS_VOICE_GUEST")
    ]
    if not all(values):
        return None
    # `values` are the four fields before api_key.
    return Config(*values, api_key=environ.get("TTS_API_KEY", "").strip())  # type: ignore[misc]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A speech server answers where it was asked: a redirect is an HTTP error,
    so the key never goes to another host and the episode falls back."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
WAV_SLACK_BYTES = 64 * 1024  # header and metadata chunks (LIST, fact…) besides the samples


def max_reply_bytes(text: str) -> int:
    """The largest WAV `check` could pass for `text`: its longest plausible length
    at 48 kHz stereo, 16-bit, plus room for the header."""
    chars = max(1, sum(not c.isspace() for c in text))
    seconds = 3.0 + MAX_SECONDS_PER_CHAR * chars
    return WAV_SLACK_BYTES + math.ceil(seconds * 48000 * 2 * 2)


def request_line(text: str, voice: str, server: Config, *, timeout: float) -> bytes:
    """One line spoken by the server: the body of its WAV reply, read no further
    than `max_reply_bytes` and for about `timeout` seconds at most."""
    body = json.dumps(
        {"model": server.model, "input": text, "voice": voice, "response_format": "wav"},
        ensure_ascii=False,
    ).encode()
    request = urllib.request.Request(
        server.base_url.rstrip("/") + "/v1/audio/speech",
        data=body,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {server.api_key}"} if server.api_key else {}),
        },
    )
    deadline = time.monotonic() + timeout
    limit = max_reply_bytes(text)
    too_big = SpeechError(f"语音服务器返回的音频太大\uff08超过 {limit} 字节\uff09。")
    with _OPENER.open(request, timeout=timeout) as response:
        if (response.length or 0) > limit:  # http.client's parse of Content-Length
            raise too_big
        chunks, size = [], 0
        # read1: whatever has arrived, so a server that trickles a byte at a time
        # is checked against the deadline at each byte, not each 64 KiB.
        while chunk := response.read1(65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise too_big
            if time.monotonic() > deadline:
                raise TimeoutError(f"语音服务器超过 {timeout:g} 秒没有说完这一句。")
        return b"".join(chunks)


def decode_wav(data: bytes) -> tuple[int, array.array]:
    """(sample rate, 16-bit mono samples) of a PCM WAV; stereo is mixed down.
    A streamed WAV's data size (0 or 0xFFFFFFFF) means "to the end"."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SpeechError("语音服务器返回的不是 WAV 音频。")
    position, rate, channels, bits, samples = 12, None, None, None, None
    while position + 8 <= len(data):
        chunk, size = struct.unpack_from("<4sI", data, position)
        position += 8
        if chunk == b"fmt ":
            if size < 16:
                raise SpeechError("WAV 的 fmt 段太短。")
            fmt, channels, rate, _byte_rate, _align, bits = struct.unpack_from(
                "<HHIIHH", data, position
            )
            if fmt not in (1, 0xFFFE) or bits != 16 or channels not in (1, 2):
                raise SpeechError(
                    f"WAV 不是 16 位 PCM 单声道或立体声\uff08格式 {fmt}\uff0c{bits} 位\uff0c{channels} 声道\uff09。"
                )
        elif chunk == b"data":
            end = len(data) if size in (0, 0xFFFFFFFF) else min(len(data), position + size)
            raw = data[position:end]
            samples = array.array("h")
            samples.frombytes(raw[: len(raw) // 2 * 2])
            break
        position += size + (size & 1)
    if rate is None or samples is None:
        raise SpeechError("WAV 缺少 fmt 或 data 段。")
    if sys.byteorder == "big":
        samples.byteswap()
    if channels == 2:
        samples = array.array(
            "h", ((a + b) // 2 for a, b in zip(samples[::2], samples[1::2], strict=True))
        )
    return rate, samples


def check(samples: array.array, rate: int, text: str) -> None:
    """Raise SpeechError unless the audio could be `text` spoken."""
    if not 8000 <= rate <= 48000:
        raise SpeechError(f"采样率 {rate} Hz 不合理。")
    seconds = len(samples) / rate
    chars = max(1, sum(not c.isspace() for c in text))
    shortest = max(MIN_SECONDS, MIN_SECONDS_PER_CHAR * chars)
    longest = 3.0 + MAX_SECONDS_PER_CHAR * chars
    if not shortest <= seconds <= longest:
        raise SpeechError(
            f"一句 {chars} 字的话返回了 {seconds:.2f} 秒的音频\uff08合理范围 {shortest:.2f} 到 {longest:.1f} 秒\uff09。"
        )
    if rms(samples) < SILENCE_RMS:
        raise SpeechError("语音服务器返回的音频几乎是静音。")


def rms(samples: Sequence[int]) -> float:
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def resample(samples: array.array, source: int, target: int) -> array.array:
    """Linear interpolation from `source` Hz to `target` Hz: plenty for speech."""
    if source == target or not samples:
        return samples
    count = max(1, round(len(samples) * target / source))
    step = source / target
    last = len(samples) - 1
    out = array.array("h", bytes(2 * count))
    for i in range(count):
        x = i * step
        j = int(x)
        if j >= last:
            out[i] = samples[last]
        else:
            frac = x - j
            out[i] = round(samples[j] + (samples[j + 1] - samples[j]) * frac)
    return out


def episode_rate(rate: int) -> int:
    """The MP3 rate for an episode whose first line came at `rate`."""
    return rate if rate in MP3_RATES else DEFAULT_RATE


def speak_all(
    lines: Sequence[tuple[str, bool]],
    server: Config,
    *,
    timeout: float,
    retries: int,
    backoff: float,
    concurrency: int,
    deadline: float | None = None,
    on_line_done: Callable[[int], None] | None = None,
) -> list[tuple[int, array.array]]:
    """Every (text, first host?) line spoken and checked, in order, as (rate,
    samples): up to `concurrency` requests at a time, each retried `retries`
    times after `backoff`, 2×`backoff`… seconds. `on_line_done(count)` is called
    from the caller's thread. The first line that still fails stops the rest
    with SpeechError; so does `deadline` (a `time.monotonic()` value)."""
    stop = threading.Event()

    def one(index: int) -> tuple[int, array.array]:
        text, first_host = lines[index]
        for attempt in range(retries + 1):
            if stop.is_set():
                raise SpeechError("已停止。")
            try:
                rate, samples = decode_wav(
                    request_line(text, server.voice(first_host), server, timeout=timeout)
                )
                check(samples, rate, text)
                return rate, samples
            except (
                OSError,
                ValueError,
                struct.error,
                http.client.HTTPException,
                SpeechError,
            ) as error:
                if attempt == retries:
                    raise SpeechError(f"第 {index + 1} 句\uff1a{_reason(error)}") from error
                if stop.wait(backoff * 2**attempt):
                    raise SpeechError("已停止。") from error
        raise AssertionError("unreachable")

    results: list[tuple[int, array.array] | None] = [None] * len(lines)
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="speech")
    futures = {pool.submit(one, i): i for i in range(len(lines))}
    pending, done_count = set(futures), 0
    try:
        while pending:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise SpeechError(
                    f"语音服务器超时\uff1a{done_count} / {len(lines)} 句后超过了时限。"
                )
            finished, pending = wait(pending, timeout=left, return_when=FIRST_COMPLETED)
            for future in finished:
                results[futures[future]] = future.result()  # raises the line's SpeechError
                done_count += 1
                if on_line_done:
                    on_line_done(done_count)
    finally:
        # On a failure nobody waits for the requests in flight: each ends by
        # its own timeout, and the episode falls back at once.
        stop.set()
        pool.shutdown(wait=not pending, cancel_futures=True)
    return results  # type: ignore[return-value]


def _reason(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return "请求超时"
    return str(error) or type(error).__name__
