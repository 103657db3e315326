"""The optional speech server (issue 23): its configuration, the checks on what
it returns, and whole episodes rendered through a fake one on loopback — or,
when it fails, by eSpeak NG from the first line to the last."""

from __future__ import annotations

import array
import math
import re
import socket
import time

import pytest

from podcasts import audio, pronounce, speech
from podcasts import script as scripting
from podcasts.models import Episode
from podcasts.script import HOST_A, QuizQuestion, Section, build_script
from tests.podcasts import fake_speech_server as fake
from tests.podcasts.conftest import needs_audio
from tests.podcasts.mp3 import duration, frames

SCRIPT = build_script(
    "大模型",
    [
        Section(
            "概念",
            "- 自然语言处理 (NLP) 的大模型在2017年以后发展很快。\n- GPT-3 有1750亿个参数，每一行都要微调。\n",
        )
    ],
    [QuizQuestion("Transformer 的核心机制是什么?", "自注意力机制")],
)
CONFIGURED = {
    "TTS_BASE_URL": "http://127.0.0.1:9",
    "TTS_MODEL": "m",
    "TTS_VOICE_HOST": "a",
    "TTS_VOICE_GUEST": "b",
}


def pcm(seconds: float, rate: int = 24000, frequency: int = 240, amplitude: int = 8000):
    return array.array(
        "h",
        (
            round(amplitude * math.sin(2 * math.pi * frequency * i / rate))
            for i in range(round(seconds * rate))
        ),
    )


class TestConfiguration:
    def test_all_four_variables_configure_a_server(self):
        server = speech.config({**CONFIGURED, "TTS_API_KEY": "k"})
        assert server == speech.Config("http://127.0.0.1:9", "m", "a", "b", api_key="k")
        assert server.label == "m"

    @pytest.mark.parametrize("missing", list(CONFIGURED))
    def test_without_any_one_of_them_espeak_speaks(self, missing):
        assert speech.config({k: v for k, v in CONFIGURED.items() if k != missing}) is None

    def test_the_hash_is_unchanged_without_a_server(self, da_mo_xing):
        inputs = Episode.script_for(da_mo_xing)
        assert Episode.digest(inputs) == scripting.content_hash(*inputs)

    def test_the_hash_follows_the_server_model_and_each_voice(self, da_mo_xing, monkeypatch):
        inputs = Episode.script_for(da_mo_xing)
        seen = {Episode.digest(inputs)}
        for name, value in [*CONFIGURED.items(), ("TTS_VOICE_HOST", "c"), ("TTS_VOICE_GUEST", "d")]:
            monkeypatch.setenv(name, value)
            seen.add(Episode.digest(inputs))
        monkeypatch.setenv("TTS_MODEL", "n")
        seen.add(Episode.digest(inputs))
        # eSpeak, the configured server, then each voice and the model changed
        assert len(seen) == 5


class TestChecks:
    def test_a_wav_decodes_to_its_rate_and_samples(self):
        samples = pcm(0.5, 22050)
        rate, decoded = speech.decode_wav(fake.wav(samples.tobytes(), 22050))
        assert (rate, decoded) == (22050, samples)

    def test_stereo_is_mixed_down(self):
        import io
        import wave

        out = io.BytesIO()
        with wave.open(out, "wb") as file:
            file.setnchannels(2)
            file.setsampwidth(2)
            file.setframerate(24000)
            file.writeframes(array.array("h", [100, 300] * 10).tobytes())
        assert speech.decode_wav(out.getvalue()) == (24000, array.array("h", [200] * 10))

    @pytest.mark.parametrize(
        "data",
        [b"", b"ID3\x04" + bytes(100), b'{"error": "no"}', b"RIFF\x00\x00\x00\x00WAVE"],
    )
    def test_what_is_not_a_pcm_wav_is_refused(self, data):
        with pytest.raises(speech.SpeechError):
            speech.decode_wav(data)

    def test_eight_bit_audio_is_refused(self):
        import io
        import wave

        out = io.BytesIO()
        with wave.open(out, "wb") as file:
            file.setnchannels(1)
            file.setsampwidth(1)
            file.setframerate(8000)
            file.writeframes(bytes(8000))
        with pytest.raises(speech.SpeechError, match="16"):
            speech.decode_wav(out.getvalue())

    def test_speech_of_a_plausible_length_passes(self):
        speech.check(pcm(1.6), 24000, "大模型的参数很多。")  # 9 characters in 1.6 s

    @pytest.mark.parametrize(
        ("samples", "rate", "reason"),
        [
            (pcm(0.05), 24000, "秒的音频"),  # cut off
            (pcm(30.0), 24000, "秒的音频"),  # a canned clip, or the wrong text
            (array.array("h", bytes(2 * 24000)), 24000, "静音"),
            (pcm(1.0, 96000), 96000, "采样率"),
        ],
    )
    def test_implausible_audio_is_refused(self, samples, rate, reason):
        with pytest.raises(speech.SpeechError, match=reason):
            speech.check(samples, rate, "大模型的参数很多。")

    def test_resampling_keeps_the_length_in_seconds_and_the_pitch(self):
        source = pcm(1.0, 22050, frequency=300)
        out = speech.resample(source, 22050, 24000)
        assert len(out) == 24000
        crossings = sum(a < 0 <= b for a, b in zip(out, out[1:], strict=False))
        assert crossings == pytest.approx(300, abs=2)
        assert speech.resample(source, 22050, 22050) is source


class TestPlainText:
    def test_the_server_gets_the_same_numbers_and_names_as_espeak_without_pinyin(self):
        text = "自然语言处理 (NLP) 的 GPT-3 在2017年发布，有1750亿参数，准确率95%，每一行都要微调 MoE。"
        names = pronounce.abbreviation_names([text])
        plain = pronounce.readable(text, names)
        assert plain == (
            "自然语言处理 的 GPT 三 在二零一七年发布，有一千七百五十亿参数，"
            "准确率百分之九十五，每一行都要微调 MoE。"
        )
        assert not re.search(r"[a-z]+[1-5]|\[\[", plain)  # no tone-number pinyin, no phonemes
        assert re.search(r"[a-z]+[1-5]", pronounce.speakable(text, names))  # eSpeak's has them


@pytest.fixture
def espeak_render(monkeypatch):
    """The episode as eSpeak NG alone renders it, for comparison."""
    with monkeypatch.context() as unconfigured:
        unconfigured.delenv("TTS_BASE_URL", raising=False)
        return audio.render(SCRIPT)


@needs_audio
class TestThroughTheServer:
    def test_every_line_is_requested_in_plain_chinese_with_its_hosts_voice(self, fake_speech):
        rendered = audio.render(SCRIPT)
        assert rendered.voice == "fake-tts"
        assert rendered.fallback == ""
        requests = sorted(fake_speech.requests, key=lambda r: r["body"]["input"])
        names = pronounce.abbreviation_names(line.text for line in SCRIPT.lines)
        expected = sorted(
            (pronounce.readable(line.text, names), "host" if line.speaker == HOST_A else "guest")
            for line in SCRIPT.lines
        )
        assert [(r["body"]["input"], r["body"]["voice"]) for r in requests] == expected
        assert {r["path"] for r in requests} == {"/v1/audio/speech"}
        assert {r["body"]["model"] for r in requests} == {"fake-tts"}
        assert {r["body"]["response_format"] for r in requests} == {"wav"}
        assert {r["auth"] for r in requests} == {"Bearer secret"}
        assert not any(re.search(r"[a-z]+[1-5]|\[\[", r["body"]["input"]) for r in requests)

    def test_without_a_key_no_authorization_is_sent(self, fake_speech, monkeypatch):
        monkeypatch.delenv("TTS_API_KEY")
        audio.render(SCRIPT)
        assert {r["auth"] for r in fake_speech.requests} == {None}

    def test_line_times_and_chapters_are_the_tones_and_pauses(self, fake_speech):
        rendered = audio.render(SCRIPT)
        names = pronounce.abbreviation_names(line.text for line in SCRIPT.lines)
        expected, start = [], 0.0
        for line in SCRIPT.lines:
            expected.append(start)
            start += fake.seconds_for(pronounce.readable(line.text, names))
            start += int(line.pause_after * fake.RATE) / fake.RATE
        assert rendered.line_starts == pytest.approx(expected, abs=1e-6)
        assert rendered.duration == pytest.approx(start, abs=1e-6)
        assert {rate for rate, _ in frames(rendered.mp3)} == {24000}
        assert duration(rendered.mp3) == pytest.approx(rendered.duration, abs=0.2)
        episode = Episode(script=SCRIPT.to_json(), line_starts=rendered.line_starts)
        firsts = {}
        for line, line_start in zip(SCRIPT.lines, expected, strict=True):
            firsts.setdefault(line.chapter, line_start)
        assert [c["start"] for c in episode.chapters()] == pytest.approx(list(firsts.values()))

    def test_a_server_at_another_rate_is_resampled_to_one_episode_rate(self, fake_speech):
        fake_speech.rate = 22050
        rendered = audio.render(SCRIPT)
        assert rendered.voice == "fake-tts"
        assert {rate for rate, _ in frames(rendered.mp3)} == {22050}

    def test_requests_run_a_few_at_a_time(self, fake_speech, settings):
        settings.TTS_CONCURRENCY = 2
        fake_speech.slow_on, fake_speech.delay = "", 0.05
        audio.render(SCRIPT)
        assert fake_speech.most_in_flight == 2

    def test_progress_counts_the_lines_done(self, fake_speech):
        seen = []
        audio.render(SCRIPT, on_progress=lambda percent, done: seen.append((percent, done)))
        assert [done for _, done in seen] == list(range(1, len(SCRIPT.lines) + 1)) + [
            len(SCRIPT.lines)
        ]
        assert seen[-1][0] == 100
        assert [percent for percent, _ in seen] == sorted(percent for percent, _ in seen)

    def test_a_line_that_fails_once_is_tried_again(self, fake_speech):
        fake_speech.fail_on, fake_speech.fail_times = "参数", 1
        rendered = audio.render(SCRIPT)
        assert rendered.voice == "fake-tts"
        assert len(fake_speech.requests) == len(SCRIPT.lines) + 1


@needs_audio
class TestFallback:
    def assert_espeak_spoke_it_all(self, rendered, espeak_render):
        assert rendered.voice == speech.ESPEAK_LABEL
        # eSpeak's timings (to a few ms: it varies a little from run to run), not the tones'
        assert rendered.line_starts == pytest.approx(espeak_render.line_starts, abs=0.05)
        assert rendered.duration == pytest.approx(espeak_render.duration, abs=0.05)
        assert {rate for rate, _ in frames(rendered.mp3)} == {audio.SAMPLE_RATE}

    def test_a_500_on_one_line_falls_back_for_the_whole_episode(self, fake_speech, espeak_render):
        fake_speech.fail_on = "参数"
        rendered = audio.render(SCRIPT)
        self.assert_espeak_spoke_it_all(rendered, espeak_render)
        assert "HTTP 500" in rendered.fallback
        failed = [r for r in fake_speech.requests if "参数" in r["body"]["input"]]
        assert len(failed) == 2  # tried, and tried again once

    def test_a_timeout_on_one_line_falls_back_quickly(self, fake_speech, espeak_render, settings):
        settings.TTS_TIMEOUT_SECONDS = 0.3
        settings.TTS_RETRIES = 0
        fake_speech.slow_on, fake_speech.delay = "参数", 3.0
        started = time.monotonic()
        rendered = audio.render(SCRIPT)
        assert time.monotonic() - started < 2.0  # nobody waits for the slow reply
        self.assert_espeak_spoke_it_all(rendered, espeak_render)
        assert "超时" in rendered.fallback

    def test_a_failure_waits_for_no_line_still_in_flight(self, fake_speech, settings):
        settings.TTS_TIMEOUT_SECONDS = 5.0
        settings.TTS_RETRIES = 0
        fake_speech.slow_on, fake_speech.delay = "大家好", 2.0  # the first line, within the timeout
        fake_speech.fail_on = "参数"
        started, fell_back = time.monotonic(), []

        def progress(percent, done):
            if (percent, done) == (1, 0):
                fell_back.append(time.monotonic() - started)

        rendered = audio.render(SCRIPT, on_progress=progress)
        assert rendered.voice == speech.ESPEAK_LABEL
        assert fell_back[0] < 1.0

    def test_silence_falls_back(self, fake_speech, espeak_render):
        fake_speech.silent_on = "参数"
        rendered = audio.render(SCRIPT)
        self.assert_espeak_spoke_it_all(rendered, espeak_render)
        assert "静音" in rendered.fallback

    def test_a_server_that_is_not_there_falls_back(self, fake_speech, espeak_render, monkeypatch):
        monkeypatch.setenv("TTS_BASE_URL", "http://127.0.0.1:9")  # discard port: nothing listens
        self.assert_espeak_spoke_it_all(audio.render(SCRIPT), espeak_render)

    def test_the_render_deadline_falls_back_too(self, fake_speech, espeak_render):
        fake_speech.slow_on, fake_speech.delay = "", 0.5
        rendered = audio.render(SCRIPT, deadline=time.monotonic() + 0.2)
        self.assert_espeak_spoke_it_all(rendered, espeak_render)


@needs_audio
def test_unconfigured_nothing_is_requested(fake_speech, monkeypatch, espeak_render):
    monkeypatch.delenv("TTS_BASE_URL")
    rendered = audio.render(SCRIPT)
    assert fake_speech.requests == []
    assert (rendered.voice, rendered.fallback) == (speech.ESPEAK_LABEL, "")
    assert rendered.line_starts == pytest.approx(espeak_render.line_starts, abs=0.05)


def test_no_podcast_test_connects_off_loopback():
    with socket.socket() as sock, pytest.raises(AssertionError, match="loopback"):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: documentation only
