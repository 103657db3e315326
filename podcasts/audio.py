"""Script → MP3, offline: eSpeak NG's Mandarin voice (through the espeakng-loader
wheel, which bundles libespeak-ng 1.52) and LAME (lameenc).

Where a speech server is configured (`podcasts.speech`, TTS_BASE_URL…), its
voices speak instead, each line fetched as WAV and the whole episode encoded by
the same LAME, so line start times stay exact. If any line fails there, eSpeak
NG speaks the whole episode: one voice pair per episode, never a mix.

Both are GPL-licensed and an optional extra (`pip install -e '.[audio]'`, which
`make run` does); without them `available()` is False and the podcast page
shows the transcript with instructions instead of a player.
"""

from __future__ import annotations

import array
import ctypes
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from podcasts import pronounce, speech
from podcasts.script import HOST_A, Script

logger = logging.getLogger(__name__)

SAMPLE_RATE = 22050
# Two hosts you can tell apart: the default Mandarin voice, and a female variant
# a little higher and brisker.
VOICES = {HOST_A: ("cmn", 45, 170), "default": ("cmn+f3", 60, 180)}  # name, pitch, words/min
_lock = threading.Lock()  # libespeak-ng keeps global state: one synthesis at a time
_engine = None
# A speech server: each request may take this long and is tried again this many
# times, after a pause that doubles; this many lines are requested at a time.
# Django settings of the same names (TTS_TIMEOUT_SECONDS…) override them.
TTS_TIMEOUT_SECONDS = 30.0
TTS_RETRIES = 2
TTS_BACKOFF_SECONDS = 1.0
TTS_CONCURRENCY = 4
# After the server failed, eSpeak NG gets at least this long to speak the episode.
FALLBACK_SECONDS = 120.0


class RenderTimeout(Exception):
    """The render ran past its deadline."""


def available() -> bool:
    try:
        import espeakng_loader  # noqa: F401
        import lameenc  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class Rendered:
    mp3: bytes
    line_starts: list[float]  # seconds at which each script line begins
    duration: float
    voice: str = speech.ESPEAK_LABEL  # what spoke it, as the page names it
    fallback: str = ""  # why eSpeak NG spoke though a speech server is configured


class _Engine:
    """A minimal ctypes binding of the espeak-ng C API, synchronous mode."""

    CALLBACK = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
    )
    AUDIO_OUTPUT_SYNCHRONOUS = 2
    CHARS_UTF8 = 1
    RATE, PITCH = 1, 3

    def __init__(self):
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        rate = self.lib.espeak_Initialize(
            self.AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0
        )
        if rate != SAMPLE_RATE:
            raise RuntimeError(f"espeak-ng initialised at {rate} Hz, expected {SAMPLE_RATE}")
        self.buffer = array.array("h")
        self._callback = self.CALLBACK(self._collect)  # keep a reference: C holds the pointer
        self.lib.espeak_SetSynthCallback(self._callback)
        # const char *espeak_TextToPhonemes(const void **textptr, int textmode, int phonememode)
        self.lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        self.lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.c_int,
            ctypes.c_int,
        ]

    def _collect(self, wav, count, _events) -> int:
        if count > 0:
            self.buffer.frombytes(ctypes.string_at(wav, count * 2))
        return 0

    def speak(self, text: str, voice: tuple[str, int, int]) -> array.array:
        name, pitch, rate = voice
        if self.lib.espeak_SetVoiceByName(name.encode()) != 0:
            raise RuntimeError(f"espeak-ng has no voice {name!r}")
        self.lib.espeak_SetParameter(self.PITCH, pitch, 0)
        self.lib.espeak_SetParameter(self.RATE, rate, 0)
        self.buffer = array.array("h")
        data = text.encode()
        self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, self.CHARS_UTF8, None, None)
        self.lib.espeak_Synchronize()
        return self.buffer

    def phonemes(self, text: str, voice: tuple[str, int, int]) -> str:
        """eSpeak's phonemes for `text` (its ASCII mnemonics, clause by clause), as
        the synthesiser would speak them: `(en)…(cmn)` marks a switch of language."""
        if self.lib.espeak_SetVoiceByName(voice[0].encode()) != 0:
            raise RuntimeError(f"espeak-ng has no voice {voice[0]!r}")
        data = ctypes.create_string_buffer(text.encode())
        cursor = ctypes.c_void_p(ctypes.addressof(data))  # advanced past each clause
        clauses = []
        while cursor.value:
            clauses.append(self.lib.espeak_TextToPhonemes(ctypes.byref(cursor), self.CHARS_UTF8, 0))
        return " ".join(clause.decode() for clause in clauses)


def phonemes(text: str, speaker: str = HOST_A) -> str:
    """What eSpeak makes of `text` in `speaker`'s voice, without synthesising it."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = _Engine()
        return _engine.phonemes(text, VOICES.get(speaker, VOICES["default"]))


def render(
    script: Script,
    on_progress: Callable[[int, int], None] | None = None,
    deadline: float | None = None,
) -> Rendered:
    """Speak every line, join them with the script's pauses, encode to MP3:
    with the configured speech server, or else (or if it fails) eSpeak NG.
    `on_progress(percent, lines done)`; past `deadline` (a `time.monotonic()`
    value) it stops with RenderTimeout."""
    server = speech.config()
    if server is None:
        return _render_espeak(script, on_progress, deadline)
    try:
        return _render_server(script, server, on_progress, deadline)
    except speech.SpeechError as error:
        logger.warning("speech server failed, eSpeak NG speaks the episode: %s", error)
        if on_progress:
            on_progress(1, 0)
        if deadline is not None:
            deadline = max(deadline, time.monotonic() + FALLBACK_SECONDS)
        rendered = _render_espeak(script, on_progress, deadline)
        rendered.fallback = f"语音服务器出错\uff0c改用 eSpeak NG\uff1a{error}"
        return rendered


def _render_server(
    script: Script,
    server: speech.Config,
    on_progress: Callable[[int, int], None] | None,
    deadline: float | None,
) -> Rendered:
    names = pronounce.abbreviation_names(line.text for line in script.lines)
    lines = [
        (pronounce.readable(line.text, names), line.speaker == HOST_A) for line in script.lines
    ]
    total = len(lines)

    def line_done(count: int) -> None:
        if on_progress:
            on_progress(max(1, round(90 * count / total)), count)

    spoken = speech.speak_all(
        lines,
        server,
        timeout=getattr(settings, "TTS_TIMEOUT_SECONDS", TTS_TIMEOUT_SECONDS),
        retries=getattr(settings, "TTS_RETRIES", TTS_RETRIES),
        backoff=getattr(settings, "TTS_BACKOFF_SECONDS", TTS_BACKOFF_SECONDS),
        concurrency=getattr(settings, "TTS_CONCURRENCY", TTS_CONCURRENCY),
        deadline=deadline,
        on_line_done=line_done,
    )
    rate = speech.episode_rate(spoken[0][0]) if spoken else speech.DEFAULT_RATE
    pcm = array.array("h")
    starts = []
    for line, (line_rate, samples) in zip(script.lines, spoken, strict=True):
        starts.append(len(pcm) / rate)
        pcm.extend(speech.resample(samples, line_rate, rate))
        pcm.extend(array.array("h", bytes(2 * int(line.pause_after * rate))))
    mp3 = _encode(pcm, rate)
    if on_progress:
        on_progress(100, total)
    return Rendered(mp3=mp3, line_starts=starts, duration=len(pcm) / rate, voice=server.label)


def _render_espeak(
    script: Script,
    on_progress: Callable[[int, int], None] | None = None,
    deadline: float | None = None,
) -> Rendered:
    global _engine
    wait = -1 if deadline is None else max(0.0, deadline - time.monotonic())
    if not _lock.acquire(timeout=wait):
        raise RenderTimeout("生成超时\uff1a语音引擎一直被另一次生成占用。")
    try:
        if _engine is None:
            _engine = _Engine()
        pcm = array.array("h")
        starts = []
        names = pronounce.abbreviation_names(line.text for line in script.lines)
        for index, line in enumerate(script.lines):
            if deadline is not None and time.monotonic() > deadline:
                raise RenderTimeout(f"生成超时\uff1a{index} / {len(script.lines)} 句后超过了时限。")
            starts.append(len(pcm) / SAMPLE_RATE)
            spoken = pronounce.speakable(line.text, names)
            pcm.extend(_engine.speak(spoken, VOICES.get(line.speaker, VOICES["default"])))
            pcm.extend(array.array("h", bytes(2 * int(line.pause_after * SAMPLE_RATE))))
            if on_progress and (index % 5 == 0 or index == len(script.lines) - 1):
                on_progress(round(90 * (index + 1) / len(script.lines)), index + 1)
    finally:
        _lock.release()
    mp3 = _encode(pcm, SAMPLE_RATE)
    if on_progress:
        on_progress(100, len(script.lines))
    return Rendered(mp3=mp3, line_starts=starts, duration=len(pcm) / SAMPLE_RATE)


def _encode(pcm: array.array, rate: int) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(48)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(5)
    return bytes(encoder.encode(pcm.tobytes()) + encoder.flush())
