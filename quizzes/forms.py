"""Every POST of the quiz is validated by a small form."""

from __future__ import annotations

from django import forms

from learners.models import Preferences
from quizzes.items import Item
from quizzes.models import Attempt

# What the start screen offers besides 全部; a saved length outside this list is offered too.
LENGTH_CHOICES = (10, 20, 30)
ALL = "all"
# 考试模式's time limits, when staff set none for the set.
EXAM_MINUTES = (10, 20, 30)


class AnswerForm(forms.Form):
    """An answer to one item: option tokens, or the blank's text.

    Tokens are checked against this item's options in this attempt, so an
    option from another question or a made-up value is refused.
    """

    choices = forms.MultipleChoiceField(
        required=False,
        error_messages={"invalid_choice": "选项无效\uff1a它不属于这道题。"},
    )
    response = forms.CharField(
        required=False,
        max_length=200,
        strip=True,
        error_messages={"max_length": "答案太长了\uff1a最多 %(limit_value)d 个字。"},
    )

    def __init__(self, attempt: Attempt, item: Item, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.tokens = attempt.tokens_for(item)
        # The MultipleChoiceField declared above (django-stubs types `fields` as Field).
        self.fields["choices"].choices = [(token, token) for token in self.tokens]  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        tokens = cleaned.get("choices") or []
        if self.item.is_fill_blank:
            if tokens:
                raise forms.ValidationError("这是填空题\uff1a请填写答案\uff0c而不是选择选项。")
            if not cleaned.get("response"):
                raise forms.ValidationError("请先填写答案再提交。")
        else:
            if cleaned.get("response"):
                raise forms.ValidationError("这是选择题\uff1a请选择选项。")
            if not tokens:
                raise forms.ValidationError("请先选择一个选项再提交。")
            if not self.item.is_multiple and len(tokens) > 1:
                raise forms.ValidationError("这道题只能选一个选项。")
        cleaned["chosen_ids"] = [self.tokens[token] for token in tokens]
        return cleaned


class StartForm(forms.Form):
    """Start a quiz: everything, or only what an attempt missed.

    The start screen also sends `length` (all or 1–200) and `order`; a form that
    leaves them out (再做一遍, 只练错题) takes the learner's saved preferences.
    考试模式 also sends `minutes` (10, 20 or 30), unless staff fixed the set's
    `exam_minutes`, which then wins.
    """

    mode = forms.ChoiceField(
        choices=[
            (mode.value, mode.label)
            for mode in (Attempt.Mode.ALL, Attempt.Mode.RETRY, Attempt.Mode.EXAM)
        ],
        initial=Attempt.Mode.ALL,
        error_messages={"invalid_choice": "未知的练习类型。"},
    )
    source = forms.IntegerField(required=False, min_value=1)
    length = forms.CharField(required=False, max_length=8)
    order = forms.ChoiceField(
        required=False,
        choices=[("", ""), *Preferences.QuizOrder.choices],
        error_messages={"invalid_choice": "题目顺序无效\uff1a请选择按顺序或随机。"},
    )
    minutes = forms.CharField(required=False, max_length=8)

    def __init__(self, *args, exam_minutes: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exam_minutes = exam_minutes

    def clean(self):
        """`minutes`: the exam's time limit, None outside 考试模式."""
        cleaned = super().clean()
        if cleaned.get("mode") != Attempt.Mode.EXAM:
            cleaned["minutes"] = None
        elif self.exam_minutes:
            cleaned["minutes"] = self.exam_minutes
        elif cleaned.get("minutes") in {str(n) for n in EXAM_MINUTES}:
            cleaned["minutes"] = int(cleaned["minutes"])
        else:
            self.add_error("minutes", "考试时长无效\uff1a请选择 10、20 或 30 分钟。")
        return cleaned

    def clean_length(self) -> int | None:
        """None: not chosen here; 0: 全部; otherwise that many questions."""
        value = self.cleaned_data["length"]
        if value == "":
            return None
        if value == ALL:
            return 0
        # ASCII digits only: str.isdigit() also takes ² and ① (which int() refuses)
        # and full-width digits, none of which the start screen sends.
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 200:
            raise forms.ValidationError("题数无效\uff1a请选择全部题目或 1–200 道题。")
        return int(value)

    def choose(self, prefs: Preferences) -> bool:
        """Put the start screen's choices into `prefs`; True if anything changed."""
        length, order = self.cleaned_data["length"], self.cleaned_data["order"]
        before = (prefs.quiz_length, prefs.quiz_order)
        if length is not None:
            prefs.quiz_length = length or None
        if order:
            prefs.quiz_order = order
        return (prefs.quiz_length, prefs.quiz_order) != before


def length_options(saved: int | None, available: int) -> list[tuple[str, str]]:
    """The start screen's 题数 choices: 全部, then the lengths shorter than the set
    (and the saved one, whatever it is), as (value, label)."""
    lengths = sorted({n for n in LENGTH_CHOICES if n < available} | ({saved} if saved else set()))
    return [(ALL, f"全部\uff08{available} 题\uff09"), *((str(n), f"{n} 题") for n in lengths)]
