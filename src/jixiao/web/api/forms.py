"""The one form of the API app: naming a new token."""

from django import forms


class TokenForm(forms.Form):
    """A new token's name: which program will use it."""

    name = forms.CharField(label="名称", max_length=60, help_text="例如「预算系统同步」，说明哪个程序使用这个令牌。")
