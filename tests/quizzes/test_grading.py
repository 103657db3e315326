"""The grading rule, table-driven, without a database."""

from __future__ import annotations

import pytest

from quizzes.grading import grade, normalise


@pytest.mark.parametrize(
    ("kind", "right", "chosen", "correct"),
    [
        ("single", {1}, {1}, True),
        ("single", {1}, {2}, False),
        ("single", {1}, set(), False),
        ("true_false", {7}, {7}, True),
        ("true_false", {7}, {8}, False),
        ("multiple", {1, 2}, {1, 2}, True),
        ("multiple", {1, 2}, {2, 1}, True),
        ("multiple", {1, 2}, {1}, False),  # all or nothing: a missed right option
        ("multiple", {1, 2}, {1, 2, 3}, False),  # an extra wrong option
        ("multiple", {1, 2}, {3}, False),
        ("multiple", {1, 2}, set(), False),
    ],
)
def test_choice_questions_are_all_or_nothing(kind, right, chosen, correct):
    verdict = grade(kind, right=right, chosen=chosen)
    assert verdict.correct is correct
    assert verdict.score == (1 if correct else 0)


def test_partial_correctness_is_reported():
    verdict = grade("multiple", right={1, 2, 3}, chosen={1, 4})
    assert verdict.chosen_right == {1}
    assert verdict.chosen_wrong == {4}
    assert verdict.missed == {2, 3}


@pytest.mark.parametrize(
    ("accepted", "response", "correct"),
    [
        (["量化"], "量化", True),
        (["量化"], " 量化 ", True),
        (["量化"], "量 化", True),
        (["量化"], "量化\u3000", True),  # ideographic space
        (["GPT-3"], "ｇｐｔ－３", True),  # full width
        (["GPT-3"], "gpt-3", True),
        (["Transformer 模型"], "transformer模型", True),
        (["剪枝", "量化", "知识蒸馏"], "知识蒸馏", True),
        # As typed with an input method: a closing 。, full-width parens, 、 and quotes.
        (["自注意力"], "自注意力\u3002", True),
        (["自注意力"], "自注意力.", True),
        (["卷积神经网络(CNN)"], "卷积神经网络\uff08CNN\uff09", True),
        (["剪枝,量化"], "剪枝\u3001量化", True),
        (["剪枝,量化"], "剪枝\uff0c量化", True),
        (["“涌现”能力"], "\u300c涌现\u300d能力", True),
        (["3.14"], "3.14\u3002", True),
        (["量化"], "量化\u3002\u3002", False),  # one closing stop, not any number
        (["量化"], "\u3002", False),
        (["量化"], "量", False),
        (["量化"], "", False),
        (["量化"], "   ", False),
        ([], "量化", False),
    ],
)
def test_fill_in_blank(accepted, response, correct):
    assert grade("fill_blank", accepted=accepted, response=response).correct is correct


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown question kind"):
        grade("essay", right={1}, chosen={1})


@pytest.mark.parametrize(
    ("text", "folded"),
    [("ＡＢＣ", "abc"), ("Ａ Ｂ\tC\n", "abc"), ("模型", "模型"), ("ﬁ", "fi")],
)
def test_normalise(text, folded):
    assert normalise(text) == folded
