"""Every POST of the quiz is validated by a small form."""

from __future__ import annotations

from django import forms

from quizzes.items import Item
from quizzes.models import Attempt


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
        self.fields["choices"].choices = [(token, token) for token in self.tokens]

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
    """Start a quiz: everything, only what an attempt missed, or the 错题本."""

    mode = forms.ChoiceField(
        choices=Attempt.Mode.choices,
        initial=Attempt.Mode.ALL,
        error_messages={"invalid_choice": "未知的练习类型。"},
    )
    source = forms.IntegerField(required=False, min_value=1)
