"""The access helpers on every kind of asker: signed in, anonymous, the lazy user of a request, nobody.

mypy now holds these helpers to the user types Django's stubs give (``User | AnonymousUser | None``);
these tests hold them to what they answer at run time for each, including the request's lazy user.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from jixiao.core.workflow import Action, Role
from jixiao.web.access import account_of, get_for, require, role_of
from jixiao.web.accounts.models import must_change_password
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Declaration
from tests.web.conftest import Tree, declare

pytestmark = pytest.mark.django_db


def test_nobody_and_anonymous_readers_have_no_account(people: dict[str, Any]) -> None:
    assert account_of(None) is None
    assert account_of(AnonymousUser()) is None
    assert role_of(SimpleLazyObject(AnonymousUser)) is None
    assert not must_change_password(None)
    assert not must_change_password(AnonymousUser())


def test_a_requests_lazy_user_is_read_as_the_person(people: dict[str, Any]) -> None:
    dept_a = people["dept_a"]
    lazy = SimpleLazyObject(lambda: dept_a)
    account = account_of(lazy)  # what request.user is at run time
    assert account is not None and account.role_enum is Role.DEPT_REVIEWER
    request = RequestFactory().get("/")
    request.user = lazy
    assert Context.of(request).user == dept_a
    request.user = AnonymousUser()
    assert Context.of(request).user is None


def test_a_person_without_a_role_has_none(db: Any) -> None:
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user(username="no_role", password="Kx7!correct-horse")
    assert account_of(nobody) is None
    assert not must_change_password(nobody)


def test_get_for_answers_404_for_foreign_missing_and_malformed_ids(tree: Tree, people: dict[str, Any]) -> None:
    decl = declare(people["staff_a1"], tree.unit_a1)
    assert get_for(people["staff_a1"], Declaration.objects, decl.pk) == decl
    for who, pk in ((people["staff_b1"], decl.pk), (people["staff_a1"], decl.pk + 1000), (people["staff_a1"], "x1")):
        with pytest.raises(Http404, match="没有找到该记录"):
            get_for(who, Declaration.objects, pk)
    with pytest.raises(Http404):
        get_for(None, Declaration.objects, decl.pk)


def test_require_names_the_state_and_action_it_refuses(tree: Tree, people: dict[str, Any]) -> None:
    decl = declare(people["staff_a1"], tree.unit_a1)
    assert require(people["staff_a1"], decl, Action.SUBMIT) is Role.UNIT_STAFF
    with pytest.raises(PermissionDenied, match="草稿"):
        require(people["dept_a"], decl, Action.DEPT_APPROVE)


def test_a_write_needs_a_signed_in_person() -> None:
    with pytest.raises(PermissionDenied, match="请先登录"):
        Context.system().person()
