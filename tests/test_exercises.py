"""Every registered exercise accepts its reference answer and rejects each typical wrong one."""

import pytest

from resnorm import exercises
from resnorm.exercises import Exercise, check, evaluate, hint, solution

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
    assert exercise.wrong and exercise.hints and exercise.solution.strip()


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
