from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        max_length=100,
        required=False,
        strip=True,
        error_messages={"max_length": "搜索词太长了\uff1a最多 %(limit_value)d 个字。"},
    )
