"""Every text the command prints is Chinese: argparse's own, the operating system's, and each verb's --help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, main
from tests.shared import SEEDS

SEED_004 = SEEDS / "004_b2949c82b0b28d4f.txt"
# argparse's and the C library's English, as a user would have met it
ENGLISH = re.compile(
    r"usage|argument|invalid|required|expected|unrecognized|error|choose|options|positional|"
    r"show this help|program's version|Is a directory|File exists|Permission denied|No such file|Errno",
    re.IGNORECASE,
)


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == EXIT_UNUSABLE
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nosuch"],
        ["check"],
        ["export", "x.txt", "--to", "html"],
        ["export", "x.txt"],
        ["score", "x.txt", "--format"],
        ["import", "--bogus", "x.txt"],
        ["show", "a.txt", "b.txt"],
        ["import", "x.txt", "-q=1"],
    ],
)
def test_usage_errors_are_said_in_chinese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Every kind of wrong command line gets argparse's message in Chinese, with exit status 2."""
    err = _usage_error(argv, capsys)
    assert err.startswith("用法：jixiao")
    assert "用法错误：" in err and "--help" in err
    assert not ENGLISH.search(err.replace("--help", "")), err
    assert "(未知位置)" not in err


@pytest.mark.parametrize("verb", ["import", "show", "score", "check", "export"])
def test_help_of_each_verb_says_what_it_reads_and_its_exit_codes(verb: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--help describes the verb, lists every format it reads (PDF, XLSX, DOCX too) and its exit statuses."""
    with pytest.raises(SystemExit) as info:
        main([verb, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"用法：jixiao {verb}")
    for word in (".txt", ".json", ".xlsx", ".docx", ".pdf", "20 MB", "退出状态：", "0  ", "2  ", "选项"):
        assert word in out, word
    assert not ENGLISH.search(out.replace("--help", "")), out


def test_top_level_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """jixiao --help lists the commands and the exit statuses with no English of argparse's."""
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "显示本帮助并退出" in out and "显示版本号并退出" in out and "退出状态：" in out
    assert not ENGLISH.search(out.replace("--help", ""))


def test_argparse_speaks_english_again_outside_the_command() -> None:
    """The Chinese texts are swapped in only while jixiao parses: another parser in the process keeps its own."""
    import argparse

    with pytest.raises(SystemExit):
        main(["check"])
    assert "usage: " in argparse.ArgumentParser(prog="other").format_usage()


@pytest.mark.shared
def test_an_unknown_rule_pack_names_no_place(capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong --rules is a usage problem: its message has no 「(未知位置)」 label."""
    assert main(["check", str(SEED_004), "--rules", "no-such-pack"]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "no-such-pack" in err and "(未知位置)" not in err


@pytest.mark.shared
def test_a_missing_rule_pack_file_is_named_as_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--rules naming a .toml file that is not there says the file does not exist."""
    missing = tmp_path / "省级规则.toml"
    assert main(["score", str(SEED_004), "--rules", str(missing)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert str(missing) in err and "不存在" in err and "(未知位置)" not in err


def test_a_folder_given_to_show_is_said_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """show on a folder says it is a folder, not 「Is a directory」."""
    assert main(["show", str(tmp_path)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "这是一个文件夹" in err and not ENGLISH.search(err)


@pytest.mark.shared
def test_an_output_folder_that_is_a_file_is_refused_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out-dir naming an existing file: a Chinese error and exit 2, no traceback, nothing written."""
    taken = tmp_path / "out"
    taken.write_text("not a folder", encoding="utf-8")
    assert main(["import", str(SEED_004), "--out-dir", str(taken)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "无法建立输出文件夹" in err and not ENGLISH.search(err)
    assert taken.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.shared
@pytest.mark.parametrize("verb, fmt", [("import", None), ("export", "pdf")])
def test_an_output_that_cannot_be_written_is_reported_and_the_others_still_are(
    verb: str, fmt: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When one output's place is taken by a folder, that file is named in Chinese and the next is still written."""
    out = tmp_path / "out"
    suffix = ".json" if fmt is None else f".{fmt}"
    (out / f"{SEED_004.stem}{suffix}").mkdir(parents=True)
    other = SEEDS / "002_54fc10801d776b03.txt"
    argv = [verb, str(SEED_004), str(other), "--out-dir", str(out), "-q"] + (["--to", fmt] if fmt else [])
    assert main(argv) == EXIT_UNUSABLE
    captured = capsys.readouterr()
    assert f"{SEED_004.stem}{suffix}" in captured.err and "无法写出" in captured.err
    assert not ENGLISH.search(captured.err)
    assert (out / f"{other.stem}{suffix}").is_file()
    assert main(["show", str(out / f"{other.stem}{suffix}")]) in (EXIT_OK, 1)
