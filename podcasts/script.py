"""Notes → a two-host dialogue in Chinese. Pure and deterministic: the same notes
and questions always give the same script, and its hash says when to re-render.

小林 (host A) leads: introduces the set and each section and asks; 小周 (host B)
explains, walking through every point of the section. The recap asks a few quiz
questions with a pause before each answer; then the outro.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from podcasts import pronounce
from studysite.chinese import COLON, COMMA, FULL_STOP, PUNCTUATION, SENTENCE_END, none_of, one_of

# 3: Chinese punctuation in what the hosts say; 4: a length cap; 5: a term is
# not said twice, Latin words are spaced from Chinese text. The hash also holds
# podcasts.pronounce.VERSION: the audio changes when the pronunciation does.
SCRIPT_VERSION = 5
HOST_A, HOST_B = "小林", "小周"
# eSpeak NG's Mandarin voice at its default rate speaks about four characters a
# second; Latin letters are spelt out, so count them as a little faster.
CHARS_PER_SECOND = 4.2
GAP_SECONDS = 0.35  # silence between lines
ANSWER_PAUSE_SECONDS = 3.0  # time to think before a quiz answer
RECAP_QUESTIONS = 3
# The sections are read until the episode would pass this; the rest is left to
# the notes page. Bounds the render (about 0.4 s of work per minute of audio)
# and what a learner is asked to sit through.
MAX_SECTION_SECONDS = 30 * 60

# Full-width punctuation is written as escapes so no editor or tool can turn it
# into its ASCII look-alike.
_TERM = re.compile(rf"^\s*({none_of(COLON, FULL_STOP, COMMA)}{{1,24}})\s*{one_of(COLON)}\s*(.+)$")
# ASCII , : ; ? ! next to a Chinese character, as typed without an input method.
_ASCII_BESIDE_HAN = re.compile(r"(?<=[\u4e00-\u9fff])[,:;?!]|[,:;?!](?=[\u4e00-\u9fff])")
# 什么是Transformer 模型 → 什么是 Transformer 模型, as Chinese typography spaces them.
_HAN_BESIDE_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u4e00-\u9fff])")
# What is not spoken: spaces, punctuation and the hyphen.
_SILENT = re.compile(rf"[\s.\-]|{one_of(PUNCTUATION)}")
_FULL_WIDTH = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "?": "\uff1f", "!": "\uff01"}


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str
    chapter: int
    pause_after: float = GAP_SECONDS

    @property
    def estimated_seconds(self) -> float:
        return estimate_seconds(self.text) + self.pause_after


@dataclass
class Script:
    title: str
    chapters: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    seconds: float = 0.0  # the running estimate, so checking it costs nothing

    def say(self, speaker: str, text: str, pause_after: float = GAP_SECONDS) -> None:
        text = _HAN_BESIDE_LATIN.sub(" ", text)
        line = Line(speaker, text, len(self.chapters) - 1, pause_after)
        self.lines.append(line)
        self.seconds += line.estimated_seconds

    def chapter(self, title: str) -> None:
        self.chapters.append(title)

    @property
    def estimated_seconds(self) -> float:
        return self.seconds

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "chapters": self.chapters,
            "lines": [asdict(line) for line in self.lines],
        }

    @classmethod
    def from_json(cls, data: dict) -> Script:
        lines = [Line(**line) for line in data["lines"]]
        return cls(
            data["title"],
            list(data["chapters"]),
            lines,
            sum(line.estimated_seconds for line in lines),
        )


def estimate_seconds(text: str) -> float:
    return len(_SILENT.sub("", text)) / CHARS_PER_SECOND


@dataclass(frozen=True)
class Section:
    title: str
    body: str  # Markdown bullets


@dataclass(frozen=True)
class QuizQuestion:
    prompt: str
    answer: str


def content_hash(title: str, sections: list[Section], questions: list[QuizQuestion]) -> str:
    payload = json.dumps(
        [
            SCRIPT_VERSION,
            pronounce.VERSION,
            title,
            [asdict(s) for s in sections],
            [asdict(q) for q in questions],
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def points(body: str) -> list[tuple[str, list[str]]]:
    """Bullets of a Markdown section: (text, nested bullets)."""
    out: list[tuple[str, list[str]]] = []
    for raw in body.splitlines():
        if not raw.strip().startswith(("- ", "* ")):
            if raw.strip():
                out.append((raw.strip(), []))
            continue
        text = raw.strip()[2:].strip()
        if raw.startswith((" ", "\t")) and out:
            out[-1][1].append(text)
        else:
            out.append((text, []))
    return out


def _clean(text: str) -> str:
    text = re.sub(r"[*_`#>\[\]]", "", text).strip()
    return _ASCII_BESIDE_HAN.sub(lambda match: _FULL_WIDTH[match.group()], text)


def _said_once(text: str) -> str:
    """`Transformer:Transformer 模型采用…` → `Transformer 模型采用…`: a term whose
    definition begins with it would be said twice in a row."""
    lead = _TERM.match(text)
    if lead and lead.group(2).startswith(lead.group(1).strip()):
        return lead.group(2)
    return text


def _sentence(text: str) -> str:
    text = _clean(text)
    return text if text.endswith((*SENTENCE_END, ".")) else text + FULL_STOP


def build_script(title: str, sections: list[Section], questions: list[QuizQuestion]) -> Script:
    script = Script(title)
    titled = [s for s in sections if s.title]
    script.chapter("开场")
    script.say(HOST_A, f"大家好\uff0c欢迎收听学习站播客\uff0c我是{HOST_A}。")
    script.say(HOST_B, f"我是{HOST_B}。今天我们一起学习「{title}」。")
    if titled:
        names = "、".join(f"「{s.title}」" for s in titled)
        script.say(HOST_A, f"这一期分为 {len(titled)} 个部分\uff1a{names}。")
    for section in sections:
        if not section.title:  # the introduction before the first heading
            for text, _nested in points(section.body):
                if script.seconds > MAX_SECTION_SECONDS:
                    break
                script.say(HOST_B, _sentence(_said_once(text)))
    for number, section in enumerate(titled, start=1):
        if script.seconds > MAX_SECTION_SECONDS:
            script.say(HOST_A, f"还有 {len(titled) - number + 1} 个部分\uff0c请到学习笔记里阅读。")
            break
        script.chapter(section.title)
        script.say(HOST_A, f"第 {number} 部分\uff0c我们来聊聊「{section.title}」。")
        for index, (text, nested) in enumerate(points(section.body)):
            if script.seconds > MAX_SECTION_SECONDS:
                script.say(HOST_A, "这一部分还有更多内容\uff0c请到学习笔记里阅读。")
                break
            lead = _TERM.match(text)
            if nested:
                heading = _clean(text).rstrip(COLON)
                script.say(HOST_A, f"说说{heading}吧。")
                for item in nested:
                    script.say(HOST_B, _sentence(_said_once(item)))
            elif lead:
                script.say(
                    HOST_A,
                    f"什么是{_clean(lead.group(1))}\uff1f"
                    if index % 2 == 0
                    else f"那{_clean(lead.group(1))}呢\uff1f",
                )
                script.say(HOST_B, _sentence(lead.group(2)))
            else:
                script.say(HOST_B if index % 2 == 0 else HOST_A, _sentence(text))
    asked = [q for q in questions if q.prompt and q.answer][:RECAP_QUESTIONS]
    if asked:
        script.chapter("小测验")
        script.say(
            HOST_A, f"最后来 {len(asked)} 道小测验\uff0c听到题目后先别急\uff0c想一想再听答案。"
        )
        for number, question in enumerate(asked, start=1):
            script.say(
                HOST_A,
                f"第 {number} 题\uff1a{_clean(question.prompt)}",
                pause_after=ANSWER_PAUSE_SECONDS,
            )
            script.say(HOST_B, f"答案是\uff1a{_sentence(question.answer)}")
    script.chapter("结束")
    script.say(HOST_A, f"今天关于「{title}」的内容就到这里。")
    script.say(
        HOST_B,
        "别忘了去做问答、复习抽认卡\uff0c巩固今天学到的内容。我们下期再见\uff01",
        pause_after=0.0,
    )
    return script
