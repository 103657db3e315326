"""Form plumbing shared by the apps."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.core.exceptions import ValidationError

from studysite.chinese import typeset


class TypesetMixin:
    """Text a person types for others to read is stored with Chinese punctuation.

    Mixed into every form that edits content (admin's notes, questions, options,
    cards and sets; an owner's edit of a generated draft), so an edit is
    typeset on save exactly as an import is (`SetDoc.typeset`).
    """

    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = typeset(value)
        return cleaned


class TypesetModelForm(TypesetMixin, forms.ModelForm):
    """The admin's form for content models."""


# The password rules (settings.AUTH_PASSWORD_VALIDATORS) in one line, and each
# rule's refusal in the same words, by the validator's error code.
PASSWORD_RULES = "至少 8 位\uff0c不能全是数字\uff0c不能太常见\uff0c也不能和用户名太像。"
PASSWORD_ERRORS = {
    "password_too_short": "密码太短\uff1a至少要 8 位。",
    "password_entirely_numeric": "密码不能全是数字。",
    "password_too_common": "这个密码太常见\uff0c容易被猜到\uff0c请换一个。",
    "password_too_similar": "密码和用户名太像了\uff0c请换一个。",
}


class SignupForm(UserCreationForm):
    """Django's sign-up form in plain Chinese: what each field is for, the password
    rules in one line, each error beside its field (fields username, password1/2)."""

    class Meta(UserCreationForm.Meta):
        error_messages = {
            "username": {
                "invalid": "用户名不能有空格\uff0c只能用中文、字母、数字和 @ . + - _ 这几个符号。",
                "unique": "这个用户名已经有人用了\uff0c请换一个。",
            }
        }

    error_messages = {"password_mismatch": "两次输入的密码不一样\uff0c请再输入一遍。"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the label sits above its input
        super().__init__(*args, **kwargs)
        username, password1, password2 = (
            self.fields[n] for n in ("username", "password1", "password2")
        )
        username.help_text = (
            "登录时用的名字\uff0c中文、字母、数字都可以\uff0c不能有空格\uff0c最多 150 个字。"
        )
        username.error_messages["required"] = "请填写用户名。"
        password1.help_text = PASSWORD_RULES
        password1.error_messages["required"] = "请设置密码。"
        password2.label = "再输入一遍密码"
        password2.help_text = "再输入一遍\uff0c确认没有打错。"
        password2.error_messages["required"] = "请再输入一遍密码。"

    def _post_clean(self):
        super()._post_clean()
        # After a refusal the cursor starts in the first field to fix, not the username.
        invalid = [name for name in self.fields if name in self.errors]
        if invalid:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            self.fields[invalid[0]].widget.attrs["autofocus"] = True

    def validate_password_for_user(self, user, password_field_name="password1"):
        """The rules are shown under the password: their refusal goes there too."""
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            for problem in error.error_list:
                self.add_error(password_field_name, PASSWORD_ERRORS.get(problem.code) or problem)


class LoginForm(AuthenticationForm):
    """Django's login form with its errors in plain Chinese (fields username, password)."""

    label_suffix = ""
    error_messages = {
        "invalid_login": "用户名或密码不对。请注意区分大小写。",
        "inactive": "这个账号已停用。",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the label sits above its input
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "请填写用户名。"
        self.fields["password"].error_messages["required"] = "请填写密码。"


class ChangePasswordForm(PasswordChangeForm):
    """Django's password change form, its labels without the ASCII colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the label sits above its input
        super().__init__(*args, **kwargs)
