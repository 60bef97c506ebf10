"""A refused value's words: Chinese from its type and limits, with its place; pydantic's own where unknown."""

from __future__ import annotations

from jixiao.web.api.problems import chinese, place


def test_the_place_leaves_the_request_s_parts_out() -> None:
    """``["body", "payload", "rows", 2, "cause", 0]`` is ``rows[2].cause[0]``; a query parameter its name."""
    assert place(["body", "payload", "rows", 2, "cause", 0]) == "rows[2].cause[0]"
    assert place(["query", "limit"]) == "limit"
    assert place(["body", "payload", "body"]) == "body"  # a field called like a part keeps its name
    assert place([]) == ""


def test_words_from_the_type_and_its_limits() -> None:
    """Known types in Chinese with their limits; an unknown type or a missing limit keeps pydantic's words."""
    error = {"loc": ["query", "limit"], "type": "less_than_equal", "ctx": {"le": 200}, "msg": "Input should be ≤ 200"}
    assert chinese(error) == "limit：应小于或等于 200。"
    assert chinese(error | {"ctx": {}}) == "limit：Input should be ≤ 200。"
    assert chinese({"loc": ["body"], "type": "url_parsing", "msg": "Input should be a valid URL"}) == (
        "Input should be a valid URL。"
    )
    assert chinese({"loc": ["body", "payload", "version"], "type": "missing", "msg": "Field required"}) == (
        "version：必须填写。"
    )
