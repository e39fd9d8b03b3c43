"""Every registered exercise accepts its reference answer and rejects each typical wrong one."""

import pytest

from resnorm import exercises, i18n
from resnorm.exercises import Exercise, check, evaluate, hint, shown_text, solution

ALL = exercises.all_exercises()


@pytest.mark.parametrize("key", sorted(ALL))
def test_reference_answer_passes(key):
    passed, message = evaluate(key, ALL[key].reference())
    assert passed, message


@pytest.mark.parametrize(
    "key, index", [(k, i) for k in sorted(ALL) for i in range(len(ALL[k].wrong))]
)
def test_wrong_answers_fail_with_a_helpful_message(key, index):
    passed, message = evaluate(key, ALL[key].wrong[index]())
    assert not passed
    assert message.startswith("not yet: ") and len(message) > len("not yet: ") + 10


@pytest.mark.parametrize("key", sorted(ALL))
def test_every_exercise_has_wrong_answers_hints_and_a_solution(key):
    exercise = ALL[key]
    assert exercise.wrong and exercise.hints and shown_text(exercise.solution).strip()
    assert all(shown_text(text).strip() for text in exercise.hints)


def test_unanswered_exercise_says_so(capsys):
    key = next(iter(ALL), None)
    if key is None:
        pytest.skip("no exercises registered yet")
    assert check(key, ...) is False
    assert "not attempted" in capsys.readouterr().out


def test_unknown_key_lists_the_allowed_keys():
    with pytest.raises(ValueError, match="key must be one of"):
        evaluate("no-such-exercise", 1)


def test_registry_round_trip(capsys, monkeypatch):
    monkeypatch.setattr(exercises, "_REGISTRY", dict(exercises._REGISTRY))

    def checker(answer):
        if answer != 4:
            raise exercises.Incorrect(f"2 + 2 is not {answer}")

    exercises.register(Exercise("test.add", "adding", checker, lambda: 4, (lambda: 5,),
                                ("count on your fingers",), "answer = 2 + 2"))
    with pytest.raises(ValueError, match="already registered"):
        exercises.register(exercises.get("test.add"))
    assert check("test.add", 4) and not check("test.add", 5)
    hint("test.add")
    solution("test.add")
    out = capsys.readouterr().out
    assert "✅ correct" in out and "2 + 2 is not 5" in out and "Hint 1" in out and "2 + 2" in out


def test_a_hint_or_the_solution_may_be_a_function_called_when_the_reader_asks(capsys, monkeypatch):
    monkeypatch.setattr(exercises, "_REGISTRY", dict(exercises._REGISTRY))
    calls = []

    def solution_text():
        calls.append("solution")
        return f"answer = 2 + 2   # shown in {i18n.language()}"

    exercises.register(Exercise("test.add_later", "adding", lambda answer: None, lambda: 4, (lambda: 5,),
                                (lambda: f"count in {i18n.language()}", "count on your fingers"), solution_text))
    assert calls == []
    hint("test.add_later")
    solution("test.add_later")
    try:
        i18n.set_language("zh")
        hint("test.add_later", 1)
        solution("test.add_later")
    finally:
        i18n.set_language("en")
    assert calls == ["solution", "solution"]
    assert capsys.readouterr().out == ("Hint 1: count in en\nHint 2: count on your fingers\n"
                                       "answer = 2 + 2   # shown in en\n"
                                       "提示 1：count in zh\nanswer = 2 + 2   # shown in zh\n")


@pytest.mark.parametrize("hints, solution_text, message", [
    (["a list"], "answer = 4", "hints must be a tuple of texts or functions returning one; got list"),
    (("a text", 3), "answer = 4", "hints[1] must be a text or a function returning one; got int"),
    (("a text",), None, "solution must be a text or a function returning one; got NoneType"),
])
def test_a_hint_or_solution_of_another_type_is_refused(hints, solution_text, message):
    with pytest.raises(TypeError) as error:
        Exercise("test.bad", "bad", lambda answer: None, lambda: 4, (lambda: 5,), hints, solution_text)
    assert str(error.value) == message


def test_a_refused_hint_is_named_in_chinese_in_the_chinese_edition():
    try:
        i18n.set_language("zh")
        with pytest.raises(TypeError) as error:
            Exercise("test.bad", "bad", lambda answer: None, lambda: 4, (lambda: 5,), ("a text", b"bytes"), "4")
    finally:
        i18n.set_language("en")
    assert str(error.value) == "hints[1] 必须是文本或返回文本的函数，实际为 bytes"
