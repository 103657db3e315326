from functools import lru_cache

from django import forms
from django.utils.safestring import SafeString

from flashcards.forms import ReviewForm, SectionField
from learners.models import Preferences
from notes.models import StudySet
from progress.practice import MODES
from quizzes.forms import AnswerForm
from quizzes.items import Item
from quizzes.models import Attempt


class PreferencesForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # not Django's ASCII colon
        super().__init__(*args, **kwargs)

    def as_div(self) -> SafeString:
        """The unbound form, which every GET of /me/ shows, is drawn once per
        distinct set of values in each process: its markup depends on nothing else."""
        if self.is_bound:
            return super().as_div()
        return _unbound_preferences_div(tuple(sorted(self.initial.items())))

    class Meta:
        model = Preferences
        fields = [
            "new_cards_per_day",
            "desired_retention",
            "quiz_length",
            "quiz_order",
            "explanations",
        ]
        error_messages = {
            "desired_retention": {
                "min_value": "目标记忆保持率不能低于 0.70。",
                "max_value": "目标记忆保持率不能高于 0.99。",
            },
            "new_cards_per_day": {"max_value": "每天新内容数最多 500。"},
            "quiz_length": {
                "min_value": "每次测验至少 1 题；留空表示全部题目。",
                "max_value": "每次测验最多 200 题；留空表示全部题目。",
            },
        }
        widgets = {
            "desired_retention": forms.NumberInput(
                attrs={"step": "0.01", "min": "0.7", "max": "0.99"}
            ),
            "new_cards_per_day": forms.NumberInput(attrs={"min": "0", "max": "500"}),
            "quiz_length": forms.NumberInput(attrs={"min": "1", "max": "200"}),
        }


@lru_cache(maxsize=256)
def _unbound_preferences_div(initial: tuple[tuple[str, object], ...]) -> SafeString:
    form = PreferencesForm(initial=dict(initial))
    return form.render(form.template_name_div)


class PracticeForm(forms.Form):
    """Start a 错题本, 智能练习 or 练习这一节 run of one set."""

    mode = forms.ChoiceField(
        choices=[(mode.value, mode.label) for mode in MODES],
        error_messages={"invalid_choice": "未知的练习类型。", "required": "未知的练习类型。"},
    )
    # 练习这一节: the note's id (ASCII digits only), checked below to be of this set.
    section = SectionField()

    def __init__(self, data, *, study_set: StudySet) -> None:
        super().__init__(data)
        self.study_set = study_set

    def clean(self):
        cleaned = super().clean()
        cleaned["note"] = None
        if cleaned.get("mode") == Attempt.Mode.SECTION and "section" not in self.errors:
            section = cleaned.get("section")
            note = self.study_set.notes.filter(pk=section).first() if section else None
            if note is None:
                raise forms.ValidationError("找不到这一节。")
            cleaned["note"] = note
        return cleaned


class TodayAnswerForm(AnswerForm):
    """A 今日学习 answer: the quiz's rules (AnswerForm.clean), with options named by
    the learner's tokens for them (`today.option_tokens`), since the answer's
    attempt is made only when it is stored; and when the server showed the
    question (signed, as the flashcards' `shown`)."""

    shown = forms.CharField(required=False, max_length=200)

    def __init__(self, item: Item, tokens: dict[str, int], *args, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)  # AnswerForm's tokens need an attempt
        self.item = item
        self.tokens = tokens
        self.fields["choices"].choices = [(token, token) for token in self.tokens]  # type: ignore[attr-defined]

    def clean_shown(self):
        return ReviewForm.clean_shown(self)  # type: ignore[arg-type]
