"""The uploads kept between an execution import's preview and its confirmation: private, bound, gone after a day."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.monitoring import execution_files


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _upload(name: str = "../../执行数.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "项目名称,已支付金额\n甲,1\n".encode(), content_type="text/csv")


def test_kept_files_are_private_and_named_by_position_not_by_the_upload() -> None:
    """A name with folders in it is kept as its last part for display; the bytes are under ``0.csv``, 0600."""
    staged = execution_files.stage([_upload()], user_id=7, round_id=3)
    assert staged.names == ("执行数.csv",)
    assert staged.paths[0].name == "0.csv" and staged.paths[0].parent.parent == execution_files.root()
    assert stat.S_IMODE(staged.paths[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(staged.paths[0].parent.stat().st_mode) == 0o700
    assert execution_files.load(staged.token, 7, 3).contents() == [
        ("执行数.csv", "项目名称,已支付金额\n甲,1\n".encode())
    ]


@pytest.mark.parametrize(("user", "round_", "token"), [(8, 3, None), (7, 4, None), (7, 3, "../../etc"), (7, 3, "x")])
def test_another_person_round_or_a_made_up_token_finds_nothing(user: int, round_: int, token: str | None) -> None:
    """The token is bound to who uploaded it and for which round; a token not of the form is not looked up."""
    staged = execution_files.stage([_upload()], user_id=7, round_id=3)
    with pytest.raises(execution_files.StagedMissing):
        execution_files.load(token or staged.token, user, round_)


@pytest.mark.django_db  # an old folder is kept while an import waits for it: the sweep asks the database
def test_files_older_than_a_day_are_refused_and_removed() -> None:
    """A preview left for more than a day cannot be confirmed: the look itself deletes its files."""
    old = execution_files.stage([_upload()], user_id=7, round_id=3)
    folder = old.paths[0].parent
    day_ago = time.time() - execution_files.KEPT_FOR.total_seconds() - 60
    for path in (folder, folder / execution_files.MANIFEST):
        os.utime(path, (day_ago, day_ago))
    with pytest.raises(execution_files.StagedMissing):
        execution_files.load(old.token, 7, 3)
    assert not folder.exists()
    fresh = execution_files.stage([_upload()], user_id=7, round_id=3)
    assert fresh.paths[0].exists()
    execution_files.discard(fresh.token)
    assert not fresh.paths[0].parent.exists()
