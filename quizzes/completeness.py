"""Is a question complete enough to publish? The one rule, for admin, the
generator's review and every import. Pure: plain values in, so a model and a
`QuestionDoc` are checked alike; the problems come back in Chinese, worst first.
"""

from __future__ import annotations

from collections.abc import Iterable

from quizzes.kinds import ONE_CHOICE_KINDS, Kind, label


def question_problems(kind: str, prompt: str, options: Iterable[tuple[str, bool]]) -> list[str]:
    """What keeps a question from being published; [] when it may be.

    `options` are (text, is right) pairs: a choice question's options, or a
    fill-in-blank question's accepted answers. Options without text do not count.
    """
    kept = [(text, right) for text, right in options if text.strip()]
    right = sum(1 for _text, is_right in kept if is_right)
    problems = [] if prompt.strip() else ["题干是空的。"]
    if kind not in Kind.values:
        return [*problems, f"未知题型 {kind!r}。"]
    if kind == Kind.FILL_BLANK:
        if not kept:
            problems.append("填空题至少要有一个可接受的答案。")
        elif right != len(kept):
            problems.append("填空题的每个答案都要勾选“正确”\uff08它们是可接受的答案\uff09。")
        return problems
    if len(kept) < 2:
        problems.append("选择题至少要有两个选项。")
    if right == 0:
        problems.append("至少要有一个正确选项。")
    elif kind in ONE_CHOICE_KINDS and right != 1:
        problems.append(f"{label(kind)}必须正好有一个正确选项\uff08现在有 {right} 个\uff09。")
    return problems
