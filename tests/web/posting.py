"""Posting a page's form back as a browser would: what it shows is what it sends.

A test that builds its own POST dictionary proves only that the server
accepts that dictionary. These helpers read the rendered HTML and build the
entry list the way the HTML standard says a browser does, including the
parts that lost data before: an ``<input type=date>`` whose value is not
``YYYY-MM-DD`` is sanitized to an empty string (and so is a number input
whose value is not a number), a ``<select>`` without a selected option
sends its first option, a textarea drops the newline that follows its start
tag, and inputs inside a ``<template>`` are not part of the form.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

_NUMBER = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$")
_DATE = re.compile(r"^\d{4,}-\d{2}-\d{2}$")
_LINE_BREAKS = str.maketrans("", "", "\r\n")


def sanitized(kind: str, value: str) -> str:
    """An input's value after the browser's value sanitization algorithm for its type."""
    if kind == "date":
        if not _DATE.match(value):
            return ""
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return ""
        return value
    if kind == "number":
        return value if _NUMBER.match(value) else ""
    if kind in ("text", "search", "tel", "password", "email", "url"):
        return value.translate(_LINE_BREAKS)
    return value


class _Form(HTMLParser):
    """The controls of one form of a page (by its id), in document order."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.template_depth = 0
        self.found = False
        # (name, value) pairs; a select's pairs are decided when it closes
        self.entries: list[tuple[str, str]] = []
        self.kinds: dict[str, str] = {}  # the type of each input, for what a person types into it
        self.submitters: list[tuple[str, str]] = []
        self._select: dict[str, object] | None = None
        self._textarea: list[str] | None = None
        self._textarea_name = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside, self.found = True, True
            return
        if tag == "template":
            self.template_depth += 1
        if not self.inside or self.template_depth:
            return
        name = a.get("name", "")
        disabled = "disabled" in a
        if tag == "input" and name and not disabled:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self.submitters.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.entries.append((name, a.get("value", "on")))
            elif kind not in ("button", "reset", "file"):
                self.entries.append((name, sanitized(kind, a.get("value", ""))))
                self.kinds[name] = kind
        elif tag == "button" and name and not disabled and a.get("type", "submit") == "submit":
            self.submitters.append((name, a.get("value", "")))
        elif tag == "select" and name and not disabled:
            self._select = {"name": name, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            options: list[str] = self._select["options"]  # type: ignore[assignment]
            options.append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))  # type: ignore[attr-defined]
        elif tag == "textarea" and name and not disabled:
            self._textarea, self._textarea_name = [], name

    def handle_endtag(self, tag: str) -> None:
        if tag == "template" and self.template_depth:
            self.template_depth -= 1
        elif tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen: list[str] = self._select["selected"] or self._select["options"][:1]  # type: ignore[assignment, index]
            name = str(self._select["name"])
            self.entries.extend((name, value) for value in chosen[-1:])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea)
            # the HTML parser drops one newline right after <textarea>; browsers send CRLF, Django reads LF
            self.entries.append((self._textarea_name, text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.append(data)


def _parsed(html: str, form_id: str) -> _Form:
    parser = _Form(form_id)
    parser.feed(html)
    parser.close()
    assert parser.found, f"the page has no form with id {form_id!r}"
    return parser


def form_entries(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser would send from the form with ``form_id`` if nothing were typed, submit buttons left out."""
    return _parsed(html, form_id).entries


def form_data(html: str, form_id: str, **typed: str) -> dict[str, str]:
    """The form's fields as a dictionary for Django's test client, with ``typed`` changes (as a person types).

    A typed value goes through its input's sanitization too: letters typed into a number input
    arrive empty, as they do from chromium.
    """
    parser = _parsed(html, form_id)
    data = dict(parser.entries)
    unknown = set(typed) - set(data)
    assert not unknown, f"the form has no field {sorted(unknown)}"
    return data | {name: sanitized(parser.kinds.get(name, "textarea"), value) for name, value in typed.items()}
