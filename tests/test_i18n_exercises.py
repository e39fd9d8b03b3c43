"""The Chinese edition of the exercises and argument checks: same checks, Chinese words, English unchanged."""

from __future__ import annotations

import re

import pytest

from resnorm import i18n
from resnorm._validation import check_float, check_int
from resnorm.environment import EnvironmentReport
from resnorm.exercises import check, evaluate, hint, solution
from resnorm.exercises.residual_connections import STATEMENTS
from resnorm.progress import BAR_FORMAT
from resnorm.quiz import choice, numeric

CJK = re.compile(r"[\u4e00-\u9fff]")

# one exercise of each module of notebooks 01-05, with a wrong answer that its checker rejects
WRONG = {
    "01.shortcut_gain": 0.5,
    "02.source_factor": 1.5,
    "03.depth_ratios": {"post": 1.0, "pre": 0.25},
    "04.add_flop_share": 1.0,
    "05.paths": 1024,
}


@pytest.fixture
def chinese():
    i18n.set_language("zh")
    try:
        yield
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("key", sorted(WRONG))
def test_check_hint_solution_speak_chinese(key, chinese, capsys):
    assert not check(key, WRONG[key])
    assert not check(key, ...)
    hint(key)
    solution(key)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("❌ 还不对：") and CJK.search(lines[0][6:]), lines[0]
    assert lines[1].startswith("❌ 还没作答："), lines[1]
    assert lines[2].startswith("提示 1：") and CJK.search(lines[2][5:]), lines[2]
    assert re.search(r"[\u4e00-\u9fff\uff00-\uffef]", "\n".join(lines[4:])), lines  # the solution's comment


def test_a_right_answer_gets_a_chinese_title(chinese):
    passed, message = evaluate("05.paths", 120)
    assert passed and message == "正确：数残差网络的路径"


def test_solutions_keep_their_code(chinese, capsys):
    solution("02.implement_layernorm")
    out = capsys.readouterr().out
    assert "var = (x - mean).pow(2).mean(-1, keepdim=True)   # 有偏：除以 d" in out
    assert "return weight * (x - mean) / torch.sqrt(var + eps) + bias" in out


def test_the_english_texts_are_unchanged(capsys):
    assert i18n.language() == "en"
    assert evaluate("01.shortcut_gain", 0.5) == (False, "not yet: 0.5 is the gain of one block; there are 40 of "
                                                        "them in a row")
    assert evaluate("05.paths", 120) == (True, "correct: counting the paths of a residual net")
    hint("01.shortcut_gain", 1)
    solution("01.shortcut_gain")
    assert capsys.readouterr().out == (
        "Hint 1: One block with a scaled shortcut computes lam * h + F(h); the identity part of its Jacobian "
        "is lam times the identity matrix.\n"
        "answer = 0.5 ** 40   # = 9.09e-13: the identity path is effectively gone\n")
    assert STATEMENTS["d"] == "The block has no normalization layer."


def test_statements_and_generic_feedback_in_chinese(chinese):
    assert STATEMENTS["d"] == "这个块没有归一化层。"
    assert list(STATEMENTS) == ["a", "b", "c", "d", "e", "f"]
    assert evaluate("01.he_factor", 3.0)[1] == "还不对：每个块的因子偏大，与正确值相差约 3 倍"
    assert evaluate("01.which_vanishes", {"plain", "residual"})[1].startswith(
        "还不对：'residual' 不应出现在梯度消失的网络集合中：恒等路径")
    assert evaluate("03.fix_source_layer", lambda block, x: x + block.attn(x))[1].startswith("还不对：输出与前置归一化")


def test_validation_errors_in_chinese(chinese):
    with pytest.raises(ValueError, match=r"^lr 必须 > 0，实际为 -1.0$"):
        check_float("lr", -1.0, minimum=0, strict_minimum=True)
    with pytest.raises(TypeError, match=r"^depth 必须是整数，实际为 float 2.5$"):
        check_int("depth", 2.5)


def test_validation_errors_in_english():
    with pytest.raises(ValueError, match=r"^lr must be > 0; got -1.0$"):
        check_float("lr", -1.0, minimum=0, strict_minimum=True)
    with pytest.raises(TypeError, match=r"^depth must be an integer; got float 2.5$"):
        check_int("depth", 2.5)


def test_quiz_progress_and_environment_in_chinese(chinese):
    question = numeric("2 + 2 = ?", 4, explanation="加法。")
    assert [a["feedback"] for a in question["answers"]] == ["答对了。加法。", "不对：从定义出发重新算一遍，再试一次。"]
    assert choice("?", "a", {"b": "不是 b。"}, explanation="是 a。")["answers"][1]["feedback"] == "不对：不是 b。"
    assert i18n.tr(BAR_FORMAT) == "{desc}：{n_fmt}/{total_fmt} {bar}"
    report = str(EnvironmentReport("3.12", {"torch": ("2.5", "2.4", True), "tqdm": (None, "4.66", False)}))
    assert report.splitlines()[1:] == ["torch       2.5            满足", "tqdm        未安装         需要 >= 4.66"]


def test_environment_report_in_english():
    report = str(EnvironmentReport("3.12", {"torch": ("2.5", "2.4", True), "tqdm": (None, "4.66", False)}))
    assert report.splitlines()[1:] == ["torch       2.5            ok", "tqdm        missing        NEEDS >= 4.66"]
