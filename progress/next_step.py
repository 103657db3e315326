"""The one obvious next step for a learner in a set. Pure: counts in, a step out.

Finishing what is open comes first, then what is due (forgetting costs most),
then mistakes, then what was never tried.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    kind: str  # resume | review | mistakes | quiz | new_cards | notes
    label: str


def next_step(
    *,
    open_attempt: bool = False,
    due: int = 0,
    mistakes: int = 0,
    quizzes_taken: int = 0,
    questions: int = 0,
    new_cards: int = 0,
) -> Step:
    """继续答题 > 复习到期卡片 > 练习错题 > 第一次测验 > 新卡片 > 再做一次测验 > 阅读笔记."""
    if open_attempt:
        return Step("resume", "继续答题")
    if due:
        return Step("review", f"复习 {due} 张到期卡片")
    if mistakes:
        return Step("mistakes", f"练习 {mistakes} 道错题")
    if questions and not quizzes_taken:
        return Step("quiz", "开始测验")
    if new_cards:
        return Step("new_cards", "学习新卡片")  # how many today is the study queue's call
    if questions:
        return Step("quiz", "再做一次测验")
    return Step("notes", "阅读学习笔记")
