"""Real Mandarin audio: espeak-ng speaks, LAME encodes, the MP3 decodes frame by frame."""

from __future__ import annotations

import pytest

from podcasts import audio
from podcasts.script import QuizQuestion, Section, build_script
from tests.podcasts.mp3 import duration, frames

pytestmark = pytest.mark.skipif(
    not audio.available(), reason="audio extra not installed: pip install -e '.[audio]'"
)

SCRIPT = build_script(
    "大模型",
    [Section("概念", "- 大型模型是参数数量巨大的人工神经网络。\n- 训练数据量也非常庞大。\n")],
    [QuizQuestion("Transformer 的核心机制是什么?", "自注意力机制")],
)


@pytest.fixture(scope="module")
def rendered():
    return audio.render(SCRIPT)


def test_mp3_decodes_with_the_duration_the_script_predicts(rendered):
    decoded = duration(rendered.mp3)
    assert decoded == pytest.approx(rendered.duration, abs=0.2)  # LAME pads at most a frame or two
    assert decoded == pytest.approx(SCRIPT.estimated_seconds, rel=0.35)
    assert {rate for rate, _ in frames(rendered.mp3)} == {audio.SAMPLE_RATE}


def test_line_start_times_increase(rendered):
    starts = rendered.line_starts
    assert len(starts) == len(SCRIPT.lines)
    assert starts[0] == 0
    assert all(later > earlier for earlier, later in zip(starts, starts[1:], strict=False))


def test_the_two_hosts_sound_different(rendered):
    from podcasts.script import HOST_A, HOST_B

    sentence = "大家好,欢迎收听学习站播客。"
    with audio._lock:
        first = audio._engine.speak(sentence, audio.VOICES[HOST_A]).tobytes()
        second = audio._engine.speak(
            sentence, audio.VOICES.get(HOST_B, audio.VOICES["default"])
        ).tobytes()
    assert len(first) > audio.SAMPLE_RATE  # more than half a second of speech
    assert first != second


def test_progress_is_reported_up_to_100_with_the_lines_done():
    seen = []
    audio.render(SCRIPT, on_progress=lambda percent, done: seen.append((percent, done)))
    assert seen[-1] == (100, len(SCRIPT.lines))
    assert seen == sorted(seen)
