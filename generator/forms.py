from django import forms

from studysite.forms import TypesetMixin

MAX_UPLOAD = 200 * 1024


class NotesField(forms.CharField):
    """Text as the browser counted it: a textarea's maxlength counts a line break
    once, but the form sends it as CRLF, so notes just under the limit were refused."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class NewSetForm(forms.Form):
    title = forms.CharField(label="学习集标题", max_length=100)
    text = NotesField(
        label="粘贴笔记",
        required=False,
        max_length=100_000,
        widget=forms.Textarea(
            attrs={
                "rows": 14,
                "placeholder": "例如\uff1a\n# 光合作用\n- 叶绿素\uff1a吸收光能的色素\n- 气孔是叶片上气体进出的通道。",
            }
        ),
        help_text="Markdown 或纯文本。写成“术语\uff1a定义”的条目\uff0c或“X是……”“X指……”的句子\uff0c效果最好。",
        error_messages={"max_length": "笔记太长了\uff1a最多 %(limit_value)d 个字。"},
    )
    file = forms.FileField(label="或上传文件\uff08.md / .txt\uff09", required=False)
    # One per page load: the same form submitted twice (a double click) is one job.
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "表单已过期\uff1a请刷新页面后再提交。",
            "invalid": "表单已过期\uff1a请刷新页面后再提交。",
        },
    )

    def clean(self):
        cleaned = super().clean()
        if "text" in self.errors:  # too long: that is the message, not "paste notes"
            return cleaned
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload:
            if not upload.name.lower().endswith((".md", ".txt", ".markdown")):
                raise forms.ValidationError("只支持 .md 和 .txt 文件。")
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(f"文件太大\uff1a最多 {MAX_UPLOAD // 1024} KB。")
            data = upload.read()
            if b"\x00" in data:
                raise forms.ValidationError("这不是文本文件。")
            try:
                text = data.decode("utf-8-sig").strip()
            except UnicodeDecodeError as error:
                raise forms.ValidationError("文件不是 UTF-8 编码的文本。") from error
        if not text:
            raise forms.ValidationError("请粘贴笔记\uff0c或上传 .md / .txt 文件。")
        cleaned["notes"] = text
        return cleaned

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # not Django's ASCII colon
        super().__init__(*args, **kwargs)


class CardEditForm(TypesetMixin, forms.Form):
    front = forms.CharField(label="正面\uff08术语\uff09", max_length=300)
    back = forms.CharField(label="背面\uff08释义\uff09", widget=forms.Textarea(attrs={"rows": 3}))


class QuestionEditForm(TypesetMixin, forms.Form):
    prompt = forms.CharField(label="题干", widget=forms.Textarea(attrs={"rows": 2}))
    explanation = forms.CharField(
        label="解析", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
