"""Validation for the flashcard page's options and its two POSTs."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django import forms
from django.core import signing

from learners import scheduling

SHOWN_SALT = "flashcards.shown"


class SectionField(forms.RegexField):
    """本节: one note section's cards only, by the note's id (None: every card).
    ASCII digits only: int() would take full-width digits too, and 19 digits
    overflow SQLite. The view checks it is a section of the set."""

    def __init__(self) -> None:
        super().__init__(
            regex=r"\A[0-9]{1,18}\Z", required=False, error_messages={"invalid": "找不到这一节。"}
        )

    def clean(self, value) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        return int(text) if text else None


class DeckOptionsForm(forms.Form):
    """How the learner studies: scheduled or browsing, which side first, which cards."""

    STUDY, BROWSE = "study", "browse"

    mode = forms.ChoiceField(
        choices=[(STUDY, "按计划复习"), (BROWSE, "浏览全部")],
        required=False,
        error_messages={"invalid_choice": "未知的模式。"},
    )
    reverse = forms.BooleanField(label="反面朝上\uff08先看释义\uff09", required=False)
    starred = forms.BooleanField(label="只看星标卡片", required=False)
    shuffle = forms.BooleanField(label="打乱顺序\uff08浏览时\uff09", required=False)
    seed = forms.IntegerField(required=False, min_value=0, max_value=2**31)
    card = forms.IntegerField(required=False, min_value=1)
    i = forms.IntegerField(required=False, min_value=0, max_value=100_000)
    section = SectionField()

    def __init__(self, data=None, *, signed_in: bool, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.signed_in = signed_in

    def clean(self):
        """Defaults, and what needs an account: scheduling and stars."""
        cleaned = super().clean()
        mode = cleaned.get("mode") or (self.STUDY if self.signed_in else self.BROWSE)
        cleaned.update(
            # Scheduling needs an account to remember reviews.
            mode=mode if self.signed_in else self.BROWSE,
            reverse=bool(cleaned.get("reverse")),
            starred=bool(cleaned.get("starred")) and self.signed_in,
            shuffle=bool(cleaned.get("shuffle")),
            i=cleaned.get("i") or 0,
            section=cleaned.get("section"),
        )
        return cleaned

    def to_query(self, **changes) -> str:
        """The page's query string for these options with `changes` (links keep the
        learner's mode); the options themselves stay as they are."""
        merged = {**self.cleaned_data, **changes}
        params = {"mode": merged["mode"]}
        if merged["section"]:
            params["section"] = merged["section"]
        for flag in ("reverse", "starred", "shuffle"):
            if merged[flag]:
                params[flag] = "1"
        if merged["mode"] == self.BROWSE:
            if merged["shuffle"] and merged["seed"] is not None:
                params["seed"] = merged["seed"]
            params["i"] = merged["i"]
        return "?" + urlencode(params)


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[(str(value), label) for value, label in scheduling.RATING_LABELS.items()],
        error_messages={
            "invalid_choice": "评分无效\uff1a只能是 1–4\uff08重来、困难、良好、简单\uff09。",
            "required": "请选择评分。",
        },
    )
    review_id = forms.UUIDField(
        error_messages={"invalid": "评分编号无效。", "required": "缺少评分编号。"}
    )
    reverse = forms.BooleanField(required=False)
    starred = forms.BooleanField(required=False)
    section = SectionField()
    shown = forms.CharField(required=False, max_length=200)

    def clean_shown(self):
        """When the server showed the card (signed, so the client cannot change it)."""
        value = self.cleaned_data["shown"]
        if not value:
            return None
        try:
            stamp = signing.loads(value, salt=SHOWN_SALT, max_age=24 * 3600)
        except signing.BadSignature as error:
            raise forms.ValidationError("展示时间无效。") from error
        return datetime.fromtimestamp(stamp, tz=UTC)


class UndoForm(forms.Form):
    """Which rating to take back: the review id the server minted for it."""

    review_id = forms.UUIDField(
        error_messages={"invalid": "评分编号无效。", "required": "缺少评分编号。"}
    )
    reverse = forms.BooleanField(required=False)
    starred = forms.BooleanField(required=False)
    section = SectionField()


class StarForm(forms.Form):
    starred = forms.BooleanField(required=False)
