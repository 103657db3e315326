"""The pronunciation front end: pure rules, then what eSpeak NG makes of them.

The phoneme table asks eSpeak itself: the phonemes it produces for the respelled
phrase must equal those it produces for the phrase's pinyin (tone numbers, the
notation of its Mandarin dictionary), with no switch to English.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from podcasts import audio, pronounce
from podcasts.pronounce import abbreviation_names, chinese_number, speakable
from podcasts.script import Section, build_script

needs_espeak = pytest.mark.skipif(
    not audio.available(), reason="audio extra not installed: pip install -e '.[audio]'"
)
NAMES = {"NLP": "自然语言处理"}

# (phrase, what a Mandarin speaker says, in pinyin with tone numbers)
TABLE = [
    ("模型", "mo2 xing2"),
    ("每一行", "mei3 yi4 hang2"),
    ("一行代码", "yi4 hang2 dai4 ma3"),
    ("第三行", "di4 san1 hang2"),
    ("行业", "hang2 ye4"),
    ("银行", "yin2 hang2"),
    ("行走", "xing2 zou3"),
    ("行为", "xing2 wei2"),
    ("重要", "zhong4 yao4"),
    ("重复", "chong2 fu4"),
    ("增长", "zeng1 zhang3"),
    ("长度", "chang2 du4"),
    ("长篇文章", "chang2 pian1 wen2 zhang1"),
    ("干扰", "gan1 rao3"),
    ("微调", "wei1 tiao2"),
    ("调试", "tiao2 shi4"),
    ("调用", "diao4 yong4"),
    ("处理", "chu3 li3"),
    ("应用", "ying4 yong4"),
    ("部分", "bu4 fen4"),
    ("音乐", "yin1 yue4"),
    ("挑战", "tiao3 zhan4"),
    ("成为", "cheng2 wei2"),
    ("因为", "yin1 wei4"),
    ("数量", "shu4 liang4"),
    ("参数", "can1 shu4"),
    ("感兴趣", "gan3 xing4 qu4"),
    ("2017年", "er4 ling2 yi1 qi1 nian2"),
    ("20世纪40年代", "er4 shi2 shi4 ji4 si4 shi2 nian2 dai4"),
    ("95%", "bai3 fen1 zhi1 jiu3 shi2 wu3"),
    ("12.5\uff05", "bai3 fen1 zhi1 shi2 er4 dian3 wu3"),
    ("3.5", "san1 dian3 wu3"),
    ("1750亿", "yi4 qian1 qi1 bai3 wu3 shi2 yi4"),
    ("2017", "liang3 qian1 ling2 yi1 shi2 qi1"),
    ("110", "yi4 bai3 yi1 shi2"),
    ("2017-2020年", "er4 ling2 yi1 qi1 dao4 er4 ling2 er4 ling2 nian2"),
    ("10\uff5e20", "shi2 dao4 er4 shi2"),
    ("GPT-3", "ji4 pi1 ti4 san1"),
    ("GPT-4o", "ji4 pi1 ti4 si4 ou1"),
    ("x", "ai2 ke4 si1"),
    ("A&B", "ei1 he2 bi4"),
    ("输入/输出", "shu1 ru4 shu1 chu1"),
    ("LLM", "ai2 le5 ai2 le5 ai2 mu5"),
    ("NLP", "zi4 ran2 yu3 yan2 chu3 li3"),  # named in the notes
    ("MoE", "ai2 mu5 ou1 yi4"),
    ("自然语言处理 (NLP)", "zi4 ran2 yu3 yan2 chu3 li3"),
    ("自然语言处理\uff08NLP\uff09", "zi4 ran2 yu3 yan2 chu3 li3"),
    ("用于NLP", "yong4 yu2 zi4 ran2 yu3 yan2 chu3 li3"),
]
# What eSpeak says by itself for the phrases the issue names: each one wrong.
MISREAD_ALONE = ["每一行", "微调", "2017年", "95%", "GPT-3", "LLM", "MoE", "自然语言处理 (NLP)"]


def compact(phonemes: str) -> str:
    """eSpeak's mnemonics without stress marks, word and clause separators."""
    return re.sub(r"[\s'_|,:]", "", phonemes)


# The pure rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "spoken"),
    [
        ("0", "零"),
        ("7", "七"),
        ("10", "十"),
        ("15", "十五"),
        ("40", "四十"),
        ("105", "一百零五"),
        ("1750", "一千七百五十"),
        ("2017", "两千零一十七"),
        ("20000", "两万"),
        ("10010000", "一千零一万"),
        ("100001000", "一亿零一千"),
        ("100000001", "一亿零一"),
        ("1,000", "一千"),
        ("3.05", "三点零五"),
        ("0.5", "零点五"),
    ],
)
def test_numbers_are_read_as_chinese_quantities(digits, spoken):
    assert chinese_number(digits) == spoken


def test_a_year_is_read_digit_by_digit_and_a_decade_as_a_number():
    assert speakable("2017年") == "二零一七年"
    assert speakable("2017 年") == "二零一七 年"
    assert speakable("20世纪40年代") == "二十世纪四十年代"
    assert speakable("\uff12\uff10\uff11\uff17年") == "二零一七年"  # full-width digits


def test_percentages_in_either_width_are_read_as_chinese():
    assert speakable("95%") == "百分之九十五"
    assert speakable("95\uff05") == "百分之九十五"
    assert speakable("0.5 %") == "百分之零点五"


def test_abbreviations_are_spelt_with_mandarin_letter_names():
    assert speakable("NLP").split() == ["en1", "ai2le5", "pi1"]
    assert speakable("MoE").split() == ["ai2mu5", "ou1", "yi4"]
    assert speakable("GPT-3").split() == ["ji4", "pi1", "ti4", "三"]


def test_words_in_latin_letters_are_left_as_words():
    for word in ["Transformer", "AlexNet", "ImageNet", "iPhone"]:
        assert speakable(word) == word


def test_capitals_inside_a_word_are_spelt():
    assert speakable("ChatGPT").split() == ["Chat", "ji4", "pi1", "ti4"]


def test_symbols_and_ranges_are_read_in_chinese():
    assert speakable("1+1=2") == "一加一等于二"
    assert speakable("7-8 个") == "七到八 个"
    assert speakable("第007号") == "第零零七号"  # a code, not a quantity


def test_the_notes_name_abbreviations_in_chinese_in_either_bracket():
    texts = ["应用领域", "自然语言处理 (NLP)\uff1a", "语音识别 (ASR) 和语音合成\uff08TTS\uff09"]
    assert abbreviation_names(texts) == {
        "NLP": "自然语言处理",
        "ASR": "语音识别",
        "TTS": "语音合成",
    }


def test_a_name_starts_after_the_words_that_lead_to_it():
    assert abbreviation_names(["说说自然语言处理 (NLP)吧。"]) == NAMES
    assert abbreviation_names(["包括计算机视觉 (CV) 等"]) == {"CV": "计算机视觉"}
    assert abbreviation_names(["说明文档 (README)"]) == {"README": "说明文档"}


def test_a_named_abbreviation_is_said_by_its_name_and_never_twice():
    assert speakable("说说自然语言处理 (NLP)吧。", NAMES) == "说说自然语言 chu3li3 吧。"
    assert speakable("NLP 很重要", NAMES) == "自然语言 chu3li3  很重要"


def test_only_words_read_other_than_their_common_reading_are_respelled():
    assert speakable("模型很重要") == "模型很重要"  # 模 mó, 重 zhòng: as eSpeak reads them
    assert speakable("每一行") == "每 yi4hang2 "
    assert speakable("进行微调") == "进行 wei1tiao2 "


# What eSpeak makes of it ---------------------------------------------------


@needs_espeak
@pytest.mark.parametrize(("phrase", "pinyin"), TABLE)
def test_espeak_says_the_phrase_as_a_mandarin_speaker_does(phrase, pinyin):
    said = audio.phonemes(speakable(phrase, NAMES))
    assert "(en)" not in said
    assert compact(said) == compact(audio.phonemes(pinyin.replace(" ", "")))


@needs_espeak
@pytest.mark.parametrize("phrase", MISREAD_ALONE)
def test_espeak_alone_misreads_the_phrases_the_front_end_fixes(phrase):
    pinyin = dict(TABLE)[phrase]
    assert compact(audio.phonemes(phrase)) != compact(audio.phonemes(pinyin.replace(" ", "")))


@needs_espeak
def test_the_da_mo_xing_episode_switches_to_english_only_for_english_words():
    fixture = json.loads(Path("fixtures/da-mo-xing.json").read_text(encoding="utf-8"))
    notes = [item["fields"] for item in fixture if item["model"] == "notes.note"]
    script = build_script("大模型", [Section(n["title"], n["body"]) for n in notes], [])
    names = abbreviation_names(line.text for line in script.lines)
    words = set()
    for line in script.lines:
        spoken = speakable(line.text, names)
        latin = re.findall(r"\b[A-Za-z]+\b", spoken)  # pinyin carries tone digits
        said = audio.phonemes(spoken, line.speaker)
        assert ("(en)" in said) == bool(latin), (line.text, said)
        words.update(latin)
    assert words == {"Transformer", "AlexNet", "ImageNet", "Mixture", "of", "Experts"}


def test_the_version_is_part_of_the_episode_hash(monkeypatch):
    from podcasts import script

    before = script.content_hash("大模型", [], [])
    monkeypatch.setattr(pronounce, "VERSION", pronounce.VERSION + 1)
    assert script.content_hash("大模型", [], []) != before


@needs_espeak
def test_render_hands_espeak_the_respelled_lines_and_keeps_the_transcript(monkeypatch):
    heard = []
    speak = audio._Engine.speak

    def listen(engine, text, voice):
        heard.append(text)
        return speak(engine, text, voice)

    monkeypatch.setattr(audio._Engine, "speak", listen)
    notes = "- 自然语言处理 (NLP)\uff1a\n    - 2017年\uff0cNLP 进步很快。\n"
    script = build_script("大模型", [Section("应用领域", notes)], [])
    audio.render(script)
    assert "二零一七年\uff0c自然语言 chu3li3  进步很快。" in heard
    assert not any("NLP" in text for text in heard)
    assert "2017年\uff0cNLP 进步很快。" in [line.text for line in script.lines]
