"""Quick-fire questions for the browser, shown with jupyterquiz (checked in the page, no kernel).

:func:`numeric` and :func:`choice` build one question each in jupyterquiz's format (a dict);
the notebook computes every number it asks about from PyTorch modules, asserts it, and passes
it in. :func:`show` renders the list: HTML and JavaScript outputs that keep working in a page
exported without a kernel (nbconvert, the static site).

jupyterquiz writes its numeric field's label in English inside its script (``js/numeric.js``);
:func:`show` puts the label in the edition's language into the script it displays.
"""

from __future__ import annotations

from numbers import Real
from unittest import mock

from .i18n import N_, tr

# jupyterquiz's label of a numeric question's input field, as its script spells it
NUMERIC_LABEL = N_("Type numeric answer here:")


def _text(name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(tr("{name} must be a non-empty string; got {value!r}", name=name, value=value))
    return value


def numeric(question: str, answer: float, *, explanation: str, precision: int | None = None) -> dict:
    """A question answered with one number, right if equal to ``answer``.

    ``precision`` (significant digits, >= 1) compares both after rounding, for non-integers.
    ``explanation`` is shown after a right answer; a wrong one gets a hint to recompute.
    """
    _text("question", question)
    _text("explanation", explanation)
    if isinstance(answer, bool) or not isinstance(answer, Real) or answer != answer:
        raise TypeError(tr("answer must be a finite number (int or float); got {answer!r}", answer=answer))
    question_dict = {
        "question": question,
        "type": "numeric",
        "answers": [
            {"type": "value", "value": answer, "correct": True,
             "feedback": tr("Right. {explanation}", explanation=explanation)},
            {"type": "default", "feedback": tr("Not that: recompute it from the definition and try again.")},
        ],
    }
    if precision is not None:
        if isinstance(precision, bool) or not isinstance(precision, int) or precision < 1:
            raise ValueError(tr("precision must be an integer >= 1 (significant digits); got {precision!r}",
                                 precision=precision))
        question_dict["precision"] = precision
    return question_dict


def choice(question: str, correct: str, wrong: dict[str, str], *, explanation: str) -> dict:
    """A multiple-choice question: one ``correct`` option and ``wrong`` options, each with why it is wrong."""
    _text("question", question)
    _text("correct", correct)
    _text("explanation", explanation)
    if not isinstance(wrong, dict) or not wrong:
        raise TypeError(tr("wrong must be a non-empty dict from option to why it is wrong; got {wrong!r}", wrong=wrong))
    if correct in wrong:
        raise ValueError(tr("wrong must not contain the correct option {correct!r}", correct=correct))
    answers = [{"answer": correct, "correct": True, "feedback": tr("Right. {explanation}", explanation=explanation)}]
    answers += [{"answer": _text(tr("a wrong option"), option), "correct": False,
                 "feedback": tr("No: {why}", why=_text(tr("why an option is wrong"), why))}
                for option, why in wrong.items()]
    return {"question": question, "type": "multiple_choice", "answers": answers}


def show(questions: list[dict]) -> None:
    """Display ``questions`` (from :func:`numeric` and :func:`choice`) as one jupyterquiz quiz."""
    if not isinstance(questions, list) or not questions or not all(isinstance(q, dict) for q in questions):
        raise TypeError(tr("questions must be a non-empty list of question dicts from numeric() or choice()"))
    import IPython.display
    import jupyterquiz.dynamic.display as quiz_display

    def display_localized(shown, **options):
        if isinstance(shown, IPython.display.Javascript) and NUMERIC_LABEL in shown.data:
            shown = IPython.display.Javascript(shown.data.replace(NUMERIC_LABEL, tr(NUMERIC_LABEL)))
        IPython.display.display(shown, **options)

    with mock.patch.object(quiz_display, "display", display_localized):
        quiz_display.display_quiz(questions, shuffle_answers=True, max_width=700)
