"""The podcast page's player: one set of controls (a mini-player that JavaScript
shows, the native controls as the fallback), and each host's lines marked as theirs."""

from __future__ import annotations

import re

import pytest

from podcasts.models import Episode
from tests.podcasts.conftest import FRAGMENT, PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(da_mo_xing, media, fake_audio, post_render):
    post_render()
    return Episode.objects.get()


def test_the_mini_player_has_skip_buttons_speed_chips_and_one_time_display(client, ready):
    html = client.get(PAGE).content.decode()
    assert html.count('id="current-time"') == 1
    assert 'id="mini-player"' in html
    assert 'aria-label="后退 15 秒"' in html
    assert 'aria-label="前进 15 秒"' in html
    rates = re.findall(r'data-rate="([0-9.]+)" aria-pressed="(true|false)"', html)
    assert rates == [
        ("0.75", "false"),
        ("1", "true"),
        ("1.25", "false"),
        ("1.5", "false"),
        ("2", "false"),
    ]
    assert "<select" not in html  # the chips replace the old speed menu
    # Without JavaScript the native controls are the player.
    assert re.search(r'<audio id="player"[^>]* controls', html)


def test_each_host_has_a_voice_class_and_a_name_label(client, ready):
    html = client.get(PAGE).content.decode()
    voices = re.findall(
        r'<li class="transcript__line transcript__line--voice-(\d)"[^>]*>\s*'
        r'<span class="transcript__speaker">([^<]+)</span>',
        html,
    )
    assert len(voices) == len(ready.parsed_script.lines)
    by_speaker = {speaker: voice for voice, speaker in voices}
    assert sorted(by_speaker.values()) == ["1", "2"]  # two hosts, two voices
    assert all(by_speaker[speaker] == voice for voice, speaker in voices)


def test_the_htmx_swap_brings_the_mini_player(client, ready):
    html = client.get(PAGE, headers=FRAGMENT).content.decode()
    assert 'id="mini-player"' in html
    assert "transcript__line--voice-1" in html  # the transcript comes out of band


def test_the_page_without_audio_has_voices_but_no_player(client, da_mo_xing):
    html = client.get(PAGE).content.decode()
    assert 'id="mini-player"' not in html
    assert "transcript__line--voice-2" in html
