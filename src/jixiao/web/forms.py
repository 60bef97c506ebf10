"""What every form of the web application shares: date inputs, fields a post leaves out, the error summary."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorList
from django.utils.datastructures import MultiValueDict


class DateInput(forms.DateInput):
    """``<input type=date>`` with its value always written ``YYYY-MM-DD``.

    Django writes a date input's value in the locale's first input format,
    which for zh-hans is ``2026/01/01``. A browser's date input accepts only
    the ISO form and sanitizes anything else to an empty string, so the
    field looked empty and the next save erased the date. The value a person
    types in a browser without a date picker is still read in every format
    the locale accepts (``DateField.input_formats``).
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


# type-arg: ModelForm is generic only in the stubs (subscripting it at run time needs django-stubs-ext)
class KeepsOmittedFields(forms.ModelForm):  # type: ignore[type-arg]
    """A model form that keeps the stored value of every field the post did not carry.

    A field missing from a post (a page opened before the form gained it, a
    layout that does not show it) is not a request to clear it: the stored
    value takes its place before validation, so the form's own checks see
    the record as it will be saved. A field posted empty is cleared, as the
    person asked.
    """

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        if not self.is_bound:
            return
        omitted = [
            name
            for name in self._meta.fields or ()
            if name in self.fields
            and self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
        ]
        if omitted:
            # a posted QueryDict is immutable; its copy is not (and keeps each field's several values)
            kept = self.data.copy() if isinstance(self.data, MultiValueDict) else dict(self.data)
            for name in omitted:
                kept[self.add_prefix(name)] = self[name].initial
            self.data = kept


@dataclass(frozen=True)
class ErrorLink:
    """One entry of a page's error summary: the id of the field to go to, and what is wrong there."""

    anchor: str
    text: str


def _field_errors(form: forms.BaseForm, where: str, fallback: str) -> list[ErrorLink]:
    """The errors of one form; ``where`` prefixes each (a row's number and name); non-field ones go to ``fallback``."""
    links: list[ErrorLink] = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            links += [ErrorLink(fallback, f"{where}{message}") for message in errors]
            continue
        field = form[name]
        # a hidden field cannot be gone to: its row's first visible field stands in
        anchor = field.auto_id if not field.is_hidden else fallback
        links += [ErrorLink(anchor, f"{where}{field.label}：{message}") for message in errors]
    return links


def error_summary(
    form: forms.BaseForm,
    form_anchor: str,
    rows: Iterable[tuple[str, forms.BaseForm]] = (),
    row_errors: Sequence[str] | ErrorList = (),
    rows_anchor: str = "",
) -> list[ErrorLink]:
    """Every error of a refused form, in page order, each linking to its field.

    ``rows`` are the form's table rows, each with how the page names it
    (「第2行「培训场次」」); ``row_errors`` are errors about the rows together
    (a formset's own), linked to ``rows_anchor``. Errors without a field link
    to ``form_anchor``.
    """
    links = _field_errors(form, "", form_anchor)
    for where, row in rows:
        first = next((row[n].auto_id for n in row.fields if not row[n].is_hidden), form_anchor)
        links += _field_errors(row, where, first)
    links += [ErrorLink(rows_anchor or form_anchor, str(message)) for message in row_errors]
    return links
