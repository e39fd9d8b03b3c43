"""Notebook 06's graders: write-it-from-scratch tasks, spot-the-bug snippets, the quick-fire builders.

``tests/test_exercises.py`` already checks that every registered exercise accepts its reference
and rejects its wrong answers; here each wrong answer must be rejected *for the right reason*
(its own explanation), and every public function rejects bad input with a helpful message.
"""

import math
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnorm import quiz
from resnorm.exercises import evaluate, get, shown_text
from resnorm.exercises import interview_bugs as bugs
from resnorm.exercises import interview_drill as drill
from resnorm.norms import LayerNorm

# mistakes caught before any output is compared, with the words their message must contain
CAUGHT_EARLY = {
    "_LayerNormScalarGain": "weight has shape (1,); PyTorch's has (8,)",
    "_RMSNormWithBias": "it has bias, which PyTorch's has not",
    "_BatchNormPlainAttributes": "it lacks running_mean, running_var",
    "_AttentionReturnsTuple": "returns a tuple",
}
MISTAKES = [(key, m) for key, task in drill.TASKS.items() for m in task.mistakes]


def test_six_tasks_each_with_a_time_box_and_several_known_mistakes():
    assert list(drill.TASKS) == ["06.layernorm", "06.rmsnorm", "06.batchnorm", "06.residual_block",
                                 "06.attention", "06.pre_ln_block"]
    for task in drill.TASKS.values():
        assert 1 <= task.minutes <= 15 and len(task.mistakes) >= 4


@pytest.mark.parametrize("key", list(drill.TASKS))
def test_reference_answer_is_accepted(key):
    assert evaluate(key, drill.TASKS[key].reference) == (True, f"correct: {drill.TASKS[key].title}")


@pytest.mark.parametrize("key, mistake", MISTAKES, ids=[m.build.__name__ for _, m in MISTAKES])
def test_each_typical_mistake_is_recognised_and_explained(key, mistake):
    passed, message = evaluate(key, mistake.build)
    assert not passed
    expected = CAUGHT_EARLY.get(mistake.build.__name__, mistake.explanation)
    assert expected in message, message


def test_a_mistake_the_checker_does_not_know_still_names_where_it_differs():
    class DoubledLayerNorm(LayerNorm):
        def forward(self, x):
            return 2 * super().forward(x)

    passed, message = evaluate("06.layernorm", DoubledLayerNorm)
    assert not passed
    assert "output for a (6, 8) input differs from PyTorch's" in message
    assert "compare your code with the formula" in message


def test_answer_must_be_a_module_class():
    assert "answer must be your nn.Module class" in evaluate("06.layernorm", LayerNorm(8))[1]
    assert "answer must be your nn.Module class" in evaluate("06.layernorm", lambda x: x)[1]


def test_a_constructor_or_forward_that_fails_is_reported():
    class Broken(nn.Module):
        def __init__(self, d):
            raise RuntimeError("not written yet")

    assert "Broken(8,) raised RuntimeError: not written yet" in evaluate("06.layernorm", Broken)[1]

    class Skeleton(nn.Module):  # the notebook's skeleton, filled in with parameters only
        def __init__(self, d, eps=1e-5):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(d))
            self.bias = nn.Parameter(torch.zeros(d))

        def forward(self, x):
            ...

    assert "your forward must return a tensor; it returned NoneType" in evaluate("06.layernorm", Skeleton)[1]


def test_a_fresh_module_must_start_as_pytorchs():
    class ZeroGain(LayerNorm):
        def __init__(self, d, eps=1e-5):
            super().__init__(d, eps)
            nn.init.zeros_(self.weight)

    message = evaluate("06.layernorm", ZeroGain)[1]
    assert "a fresh module must start as PyTorch's does: weight should be all 1" in message

    class RunningVarZero(drill._BatchNorm1d):
        def __init__(self, d, eps=1e-5, momentum=0.1):
            super().__init__(d, eps, momentum)
            self.running_var.zero_()

    assert "running_var should be all 1" in evaluate("06.batchnorm", RunningVarZero)[1]


def test_num_batches_tracked_is_optional_for_batchnorm():
    class WithCounter(drill._BatchNorm1d):
        def __init__(self, d, eps=1e-5, momentum=0.1):
            super().__init__(d, eps, momentum)
            self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    assert evaluate("06.batchnorm", WithCounter)[0]
    assert evaluate("06.batchnorm", nn.BatchNorm1d)[0]  # PyTorch's own passes, of course


@pytest.mark.parametrize("key, torch_class", [("06.layernorm", nn.LayerNorm),
                                              ("06.attention", drill._TorchSelfAttention)])
def test_pytorchs_own_modules_pass(key, torch_class):
    assert evaluate(key, torch_class)[0]


def test_in_place_residual_with_pytorchs_layernorm_is_named_not_a_raw_autograd_error():
    class InPlaceTorchNorm(drill._TorchResidualBlock):  # nn.LayerNorm saves x for backward
        def forward(self, x):
            x += self.linear2(F.relu(self.linear1(self.norm(x))))
            return x

    passed, message = evaluate("06.residual_block", InPlaceTorchNorm)
    assert not passed
    assert "modified in place" in message and drill._IN_PLACE in message
    assert "RuntimeError" not in message


def test_pre_ln_block_accepts_a_block_built_on_the_readers_attention():
    assert evaluate("06.pre_ln_block", drill._PreLNBlock)[0]


@pytest.mark.parametrize("key", ["06.batchnorm", "06.residual_block", "06.attention"])
def test_printed_solutions_run_and_pass(key):
    namespace = {"torch": torch, "nn": nn, "F": F, "math": math, "LayerNorm": LayerNorm}
    exec(get(key).solution, namespace)
    classes = [v for v in namespace.values() if isinstance(v, type) and issubclass(v, nn.Module)
               and v.__module__ == "builtins"]
    assert len(classes) == 1 and evaluate(key, classes[0])[0]


def test_check_reports_the_time_since_the_task_cell(capsys, monkeypatch):
    clock = iter([100.0, 100.0 + 75.0])
    monkeypatch.setattr(drill.time, "monotonic", lambda: next(clock))
    drill.task("06.rmsnorm")
    assert drill.check("06.rmsnorm", drill.TASKS["06.rmsnorm"].reference)
    out = capsys.readouterr().out
    assert "time box 3 min, the clock runs from now" in out
    assert "✅ correct" in out and "⏱ 1 min 15 s since the task cell ran: within the 3 min time box" in out


def test_check_says_over_the_time_box_and_asks_for_the_task_cell(capsys, monkeypatch):
    monkeypatch.setattr(drill, "_STARTED", {"06.rmsnorm": 0.0})
    monkeypatch.setattr(drill.time, "monotonic", lambda: 200.0)
    assert not drill.check("06.rmsnorm", ...)
    assert "not attempted" in capsys.readouterr().out.split("\n")[0]
    assert drill.elapsed("06.rmsnorm") == 200.0
    drill.check("06.rmsnorm", ...)
    assert "over the 3 min time box" in capsys.readouterr().out
    monkeypatch.setattr(drill, "_STARTED", {})
    assert drill.elapsed("06.rmsnorm") is None
    drill.check("06.rmsnorm", ...)
    assert "run the task cell first" in capsys.readouterr().out


@pytest.mark.parametrize("function", [drill.task, drill.elapsed, lambda key: drill.check(key, None)])
def test_unknown_task_keys_list_the_allowed_ones(function):
    with pytest.raises(ValueError, match="key must be one of"):
        function("06.no_such_task")
    with pytest.raises(ValueError, match="key must be one of .*'06.layernorm'"):
        function("06.bug_softmax_dim")  # an exercise, but not a from-scratch task


# --- spot the bug ---------------------------------------------------------------------------


def test_at_least_eight_snippets_each_with_its_bug_line_in_the_code():
    assert len(bugs.BUGS) >= 8
    for bug in bugs.BUGS.values():
        lines = bug.code.strip("\n").splitlines()
        assert 1 <= bug.line <= len(lines) and lines[bug.line - 1].strip() != bug.fix


@pytest.mark.parametrize("key", list(bugs.BUGS))
def test_the_bug_makes_a_measured_difference_and_the_fix_removes_it(key):
    effect = bugs.effect(key, seed=1)
    assert effect.fixed.error is None and effect.fixed.value < 1e-4
    assert effect.buggy.error is not None or effect.buggy.value > 0.01


@pytest.mark.parametrize("key", list(bugs.BUGS))
def test_wrong_answers_say_why(key):
    bug = bugs.BUGS[key]
    unchanged = bug.code.strip("\n").splitlines()[bug.line - 1]
    assert "the bug is still there" in evaluate(key, (bug.line, unchanged))[1]
    other = 1 if bug.line != 1 else 2
    line = bug.code.strip("\n").splitlines()[other - 1]
    assert "that line is not the bug" in evaluate(key, (other, line))[1]
    assert "does not parse" in evaluate(key, (bug.line, "x = = 1"))[1]


def test_an_equivalent_fix_in_other_words_is_accepted():
    assert evaluate("06.bug_unbiased_variance", (3, "var = (x - mean).pow(2).mean(-1, keepdim=True)"))[0]
    assert evaluate("06.bug_batchnorm_train_mode", (2, "model.train(False)"))[0]
    assert evaluate("06.bug_attention_tuple", (3, "return x + attn(h, h, h)[0]"))[0]


@pytest.mark.parametrize("key, answer, message", [
    # normalising the stream after every block is the opposite of Pre-LN
    ("06.bug_pre_ln_final_norm", (3, "x = final_norm(block(x))"), "alters the result but does not fix it"),
    # a head input of the right scale but not the stream's
    ("06.bug_pre_ln_final_norm", (4, "return head(torch.ones(3))"), "with your change the code raises"),
    ("06.bug_pre_ln_final_norm", (4, "return head(torch.ones(32))"), "alters the result but does not fix it"),
    # a clone for the shortcut still lets the in-place ReLU overwrite the caller's x
    ("06.bug_inplace_relu_shortcut", (2, "identity = x.clone()"), "that line is not the bug"),
    # eps counted twice: added to the variance on line 3, still to the std on line 4
    ("06.bug_eps_outside", (3, "var = (x - mean).pow(2).mean(-1, keepdim=True) + eps"),
     "alters the result but does not fix it"),
])
def test_wrong_fixes_the_review_found_are_rejected(key, answer, message):
    passed, text = evaluate(key, answer)
    assert not passed and message in text, text


@pytest.mark.parametrize("key, answer", [
    ("06.bug_pre_ln_final_norm", (4, "return head(final_norm(x))")),
    ("06.bug_inplace_relu_shortcut", (3, "out = torch.relu(x)")),
    ("06.bug_inplace_relu_shortcut", (3, "out = x.clamp(min=0)")),
    ("06.bug_eps_outside", (4, "return weight * (x - mean) / (var + eps).sqrt() + bias")),
    ("06.bug_eps_outside", (4, "return weight * (x - mean) * torch.rsqrt(var + eps) + bias")),
])
def test_correct_alternative_fixes_are_accepted(key, answer):
    assert evaluate(key, answer) == (True, f"correct: {bugs.BUGS[key].title}")


def test_a_fix_that_crashes_says_so_in_words():
    passed, text = evaluate("06.bug_wrong_dim", (2, "mean = x.mean(1)"))
    assert not passed
    assert text.startswith("not yet: with your change the code raises RuntimeError: The size of tensor")
    assert "with the course's fix, max |output - F.layer_norm| is" in text
    # a different error from the buggy code's is not "still there"
    passed, text = evaluate("06.bug_attention_tuple", (3, "return x + attn(h)"))
    assert not passed and "with your change the code raises TypeError" in text and "still" not in text
    passed, text = evaluate("06.bug_attention_tuple", (3, "return x + attn(h, h, h)"))
    assert "the bug is still there: with your change the code still raises TypeError" in text


def test_a_fix_that_runs_but_leaves_the_bug_says_so():
    passed, text = evaluate("06.bug_wrong_dim", (2, "mean = x.mean(0)"))
    assert not passed and "the bug is still there: with your change, max |output - F.layer_norm| is still" in text


@pytest.mark.parametrize("answer, message", [
    (3, "answer must be a pair (line_number"),
    ((3,), "answer must be a pair"),
    ((0, "x = x + f(x)"), "the line number must be an integer from 1 to 4"),
    ((True, "x = x + f(x)"), "the line number must be an integer"),
    (("3", "x = x + f(x)"), "the line number must be an integer"),
    ((3, ""), "the corrected line must be a non-empty string"),
    ((3, None), "the corrected line must be a non-empty string"),
])
def test_malformed_bug_answers(answer, message):
    passed, text = evaluate("06.bug_inplace_residual", answer)
    assert not passed and message in text


def test_show_numbers_the_lines(capsys):
    bugs.show("06.bug_branch_doubled")
    assert capsys.readouterr().out.splitlines() == [
        " 1 | def pre_ln_sublayer(x, f, norm):", " 2 |     h = f(norm(x))", " 3 |     return h + h"]


def test_check_prints_the_bug_and_its_effect_after_a_right_answer(capsys):
    assert bugs.check("06.bug_softmax_dim", (3, "weights = scores.softmax(dim=-1)"))
    out = capsys.readouterr().out
    assert "✅ correct" in out and "the bug: the softmax runs over the queries" in out
    assert "max |output - F.scaled_dot_product_attention|: buggy" in out
    assert not bugs.check("06.bug_softmax_dim", (2, "scores = q @ k.transpose(-2, -1)"))
    assert "the bug:" not in capsys.readouterr().out


def test_outcome_short_form():
    assert bugs.Outcome(0.123456, None).short == "0.123"
    assert bugs.Outcome(None, "TypeError: no").short == "TypeError"


@pytest.mark.parametrize("function", [bugs.show, bugs.effect, lambda key: bugs.check(key, None)])
def test_unknown_snippet_keys_list_the_allowed_ones(function):
    with pytest.raises(ValueError, match="key must be one of"):
        function("06.layernorm")


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0"])
def test_effect_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        bugs.effect("06.bug_softmax_dim", seed=seed)


# --- quick-fire -----------------------------------------------------------------------------


def test_numeric_question_in_jupyterquiz_format():
    q = quiz.numeric("How many?", 1024, explanation="2 x 512.")
    assert q["type"] == "numeric" and "precision" not in q
    assert q["answers"][0] == {"type": "value", "value": 1024, "correct": True, "feedback": "Right. 2 x 512."}
    assert q["answers"][1]["type"] == "default"
    assert quiz.numeric("Q?", 1.0333, explanation="E.", precision=3)["precision"] == 3


def test_choice_question_lists_the_right_option_first_with_feedback_for_each():
    q = quiz.choice("Which?", "Pre-LN", {"Post-LN": "that is BERT"}, explanation="GPT-2.")
    assert q["type"] == "multiple_choice"
    assert [(a["answer"], a["correct"]) for a in q["answers"]] == [("Pre-LN", True), ("Post-LN", False)]
    assert q["answers"][1]["feedback"] == "No: that is BERT"


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(question="", answer=1, explanation="e"), TypeError, "question must be a non-empty string"),
    (dict(question="q", answer=True, explanation="e"), TypeError, "answer must be a finite number"),
    (dict(question="q", answer=float("nan"), explanation="e"), TypeError, "answer must be a finite number"),
    (dict(question="q", answer="3", explanation="e"), TypeError, "answer must be a finite number"),
    (dict(question="q", answer=1, explanation=None), TypeError, "explanation must be a non-empty string"),
    (dict(question="q", answer=1, explanation="e", precision=0), ValueError, "precision must be an integer >= 1"),
])
def test_numeric_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        quiz.numeric(**kwargs)


@pytest.mark.parametrize("correct, wrong, error, message", [
    ("a", {}, TypeError, "wrong must be a non-empty dict"),
    ("a", ["b"], TypeError, "wrong must be a non-empty dict"),
    ("a", {"a": "same"}, ValueError, "wrong must not contain the correct option 'a'"),
    ("a", {"b": ""}, TypeError, "why an option is wrong must be a non-empty string"),
    ("", {"b": "no"}, TypeError, "correct must be a non-empty string"),
])
def test_choice_rejects_bad_input(correct, wrong, error, message):
    with pytest.raises(error, match=message):
        quiz.choice("q", correct, wrong, explanation="e")


def test_show_renders_html_and_javascript(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **_: shown.append(obj))
    import jupyterquiz.dynamic.display as jq_display

    monkeypatch.setattr(jq_display, "display", lambda obj, **_: shown.append(obj))
    quiz.show([quiz.numeric("How many?", 2, explanation="two.")])
    kinds = [type(obj).__name__ for obj in shown]
    assert kinds == ["HTML", "Javascript"] and "How many?" in shown[1].data


def test_show_labels_the_numeric_field_in_the_editions_language(monkeypatch):
    """jupyterquiz spells the numeric field's label in English inside its script; the Chinese
    edition shows it in Chinese, the English one unchanged (and jupyterquiz still spells it so)."""
    from resnorm import i18n

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **_: shown.append(obj))
    question = [quiz.numeric("How many?", 2, explanation="two.")]
    quiz.show(question)
    assert quiz.NUMERIC_LABEL in shown[-1].data
    try:
        i18n.set_language("zh")
        quiz.show(question)
    finally:
        i18n.set_language("en")
    script = shown[-1].data
    assert quiz.NUMERIC_LABEL not in script and i18n.catalogue("zh")[quiz.NUMERIC_LABEL] in script


@pytest.mark.parametrize("questions", [[], None, [1], "q"])
def test_show_rejects_bad_input(questions):
    with pytest.raises(TypeError, match="questions must be a non-empty list"):
        quiz.show(questions)


def test_feedback_and_bug_explanations_are_chinese_in_the_chinese_edition(capsys):
    from resnorm import i18n

    try:
        i18n.set_language("zh")
        _, message = evaluate("06.layernorm", get("06.layernorm").wrong[0]())
        assert "与 PyTorch 的结果不一致：(6, 8) 输入的输出" in message and "x.var() 是无偏方差" in message, message
        drill.task("06.rmsnorm")
        assert "限时 3 分钟，现在开始计时" in capsys.readouterr().out
        assert bugs.check("06.bug_softmax_dim", get("06.bug_softmax_dim").reference())
        out = capsys.readouterr().out
        assert "问题所在：softmax 是在 query 维上做的" in out, out
        assert "max |output - F.scaled_dot_product_attention|：有 bug 时" in out, out
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("key", sorted(bugs.BUGS))
def test_bug_hint_and_solution_are_chinese_in_the_chinese_edition_and_unchanged_in_english(key, capsys):
    """The hint and solution of a snippet are filled from marked parts; the generic display shows them in Chinese."""
    from resnorm import i18n
    from resnorm.exercises import hint, solution

    bug = bugs.BUGS[key]
    english_hint = f"Measure it: {bug.what}. Which line makes that number wrong?"
    english_solution = f"answer = ({bug.line}, {bug.fix!r})\n# {bug.explanation}"
    assert [shown_text(h) for h in get(key).hints] == [english_hint]
    assert shown_text(get(key).solution) == english_solution
    hint(key)
    solution(key)
    assert capsys.readouterr().out == f"Hint 1: {english_hint}\n{english_solution}\n"
    try:
        i18n.set_language("zh")
        hint(key)
        solution(key)
        out = capsys.readouterr().out
    finally:
        i18n.set_language("en")
    shown_hint, code, comment = out.splitlines()
    assert shown_hint.endswith(f"测一测：{i18n.catalogue('zh')[bug.what]}。是哪一行让这个数不对？"), shown_hint
    assert code == f"answer = ({bug.line}, {bug.fix!r})"  # the code stays as it is
    assert comment == "# " + i18n.catalogue("zh")[bug.explanation] and re.search("[\u4e00-\u9fff]", comment)


def test_pre_ln_block_solution_note_is_chinese_in_the_chinese_edition():
    from resnorm import i18n

    assert shown_text(get("06.pre_ln_block").solution).startswith("# self_attn: your attention class of the previous task\n")
    try:
        i18n.set_language("zh")
        shown = shown_text(get("06.pre_ln_block").solution)
    finally:
        i18n.set_language("en")
    assert shown.startswith("# self_attn：上一题里你写的注意力类\nclass _PreLNBlock(nn.Module):"), shown[:80]
