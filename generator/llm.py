"""Optional LLM backend: an OpenAI-compatible /v1/chat/completions endpoint.

Used only when LLM_BASE_URL and LLM_MODEL are set. The model is asked for JSON
items; each is validated — its shape, its source sentence must be in the notes,
and its answer must be supported by that sentence — and anything invalid is
dropped. On any error, a timeout or no valid item, the embedded generator's
result is used instead. Notes structure always comes from the embedded parser.
"""

from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
import urllib.error
import urllib.request

from generator import quality
from generator.generate import MAX_CARDS, MAX_QUESTIONS
from generator.generate import generate as embedded
from interchange.document import (
    FILL_BLANK,
    KINDS,
    MULTIPLE,
    SINGLE,
    CardDoc,
    ChoiceDoc,
    QuestionDoc,
    SetDoc,
)

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20
SUPPORT = 0.6  # share of the answer's character bigrams that must occur in its source

PROMPT = """你是出题助手。只根据下面的笔记出题\uff0c不要编造笔记里没有的内容。
只返回 JSON:{"cards": [{"front": 术语, "back": 释义, "source": 笔记原句}],
"questions": [{"prompt": 题干, "kind": KINDS,
"choices": [{"text": 选项, "correct": true|false}], "explanation": 解析, "source": 笔记原句}]}
判断题的选项是 "正确" 和 "错误"\uff1b填空题的 choices 是可接受的答案\uff0c全部 correct。

笔记:
""".replace("KINDS", "|".join(f'"{kind}"' for kind in KINDS))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


def supported(answer: str, source: str) -> bool:
    """Is `answer` backed by `source`: contained in it, or most of its bigrams are?"""
    a, s = _norm(answer), _norm(source)
    if not a:
        return False
    return a in s or quality.coverage(answer, source) >= SUPPORT


def _card(item: dict, notes: str) -> CardDoc | None:
    front, back, source = (str(item.get(k, "")).strip() for k in ("front", "back", "source"))
    if not (front and back and source) or _norm(source) not in notes:
        return None
    if not (supported(back, source) and _norm(front) in _norm(source)):
        return None
    return CardDoc(front=front, back=back, draft=True, source=source)


def _question(item: dict, notes: str) -> QuestionDoc | None:
    prompt, kind, source = (
        str(item.get("prompt", "")).strip(),
        item.get("kind"),
        str(item.get("source", "")).strip(),
    )
    raw = item.get("choices")
    if (
        not prompt
        or kind not in KINDS
        or not isinstance(raw, list)
        or not source
        or _norm(source) not in notes
    ):
        return None
    choices = [
        ChoiceDoc(str(c.get("text", "")).strip(), bool(c.get("correct")))
        for c in raw
        if isinstance(c, dict)
    ]
    texts = [_norm(c.text) for c in choices]
    if not all(texts) or len(set(texts)) != len(texts):
        return None
    doc = QuestionDoc(
        prompt, kind, choices, str(item.get("explanation", "")).strip(), draft=True, source=source
    )
    if not doc.complete:
        return None
    right_unsupported = not all(supported(c.text, source) for c in choices if c.correct)
    if kind in (FILL_BLANK, SINGLE, MULTIPLE) and right_unsupported:
        return None
    return doc


def ask(
    text: str, *, base_url: str, model: str, api_key: str = "", timeout: float = TIMEOUT_SECONDS
) -> dict:
    body = json.dumps(
        {
            "model": model,
            "messages": [{"role": "user", "content": PROMPT + text}],
            "response_format": {"type": "json_object"},
            "temperature": 0,
        }
    ).encode()
    request = urllib.request.Request(
        base_url.rstrip("/") + "/v1/chat/completions",
        data=body,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {api_key}"} if api_key else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
        payload = json.loads(response.read().decode())
    content = payload["choices"][0]["message"]["content"]
    return json.loads(content) if isinstance(content, str) else content


def generate_set(text: str, title: str = "", *, timeout: float = TIMEOUT_SECONDS) -> SetDoc:
    """The LLM's validated items when configured and useful, else the embedded generator's."""
    fallback = embedded(text, title)  # also validates the input and gives the notes
    base_url, model = os.environ.get("LLM_BASE_URL", ""), os.environ.get("LLM_MODEL", "")
    if not (base_url and model):
        return fallback
    try:
        data = ask(
            text,
            base_url=base_url,
            model=model,
            api_key=os.environ.get("LLM_API_KEY", ""),
            timeout=timeout,
        )
        notes = _norm(text)
        cards = [
            c for c in (_card(i, notes) for i in data.get("cards", []) if isinstance(i, dict)) if c
        ]
        questions = [
            q
            for q in (_question(i, notes) for i in data.get("questions", []) if isinstance(i, dict))
            if q
        ]
    except (
        OSError,
        urllib.error.URLError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
    ) as error:
        logger.warning("LLM generation failed, using the embedded generator: %s", error)
        return fallback
    if not cards and not questions:
        logger.warning("LLM returned no valid item, using the embedded generator")
        return fallback
    # The same caps as the embedded generator's; where its items are used, so are its skips.
    skipped = [f"卡片\uff1a{c.front}" for c in cards[MAX_CARDS:]] + [
        f"题目\uff1a{q.prompt}" for q in questions[MAX_QUESTIONS:]
    ]
    skipped += [
        item
        for item in fallback.skipped
        if (not cards and item.startswith("卡片")) or (not questions and item.startswith("题目"))
    ]
    return SetDoc(
        title=title,
        notes=fallback.notes,
        cards=cards[:MAX_CARDS] or fallback.cards,
        questions=questions[:MAX_QUESTIONS] or fallback.questions,
        skipped=skipped,
    )
