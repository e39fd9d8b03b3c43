"""Notebook 06, part 2: spot the bug. Short snippets, each with exactly one realistic bug.

A snippet is a few lines of source defining one function. The reader answers with
``(line_number, "the corrected line")``. The checker puts the corrected line in place (keeping
its indentation), runs the buggy snippet, the course's fix and the reader's fix through the
snippet's *harness* (a seeded measurement that makes the bug visible as one number, or an
exception), and accepts the answer when the reader's fix measures like the course's.
:func:`effect` runs the buggy and the fixed code and returns both measurements, so the
notebook can show, and assert, the difference the bug makes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Integral

import torch
import torch.nn.functional as F
from torch import nn

from ..i18n import N_, tr
from ..models import TransformerBlock
from . import Exercise, Incorrect, evaluate, get, register


@dataclass(frozen=True)
class Bug:
    """One snippet: its ``code`` (a function named ``name``), the buggy ``line`` (1-based), a
    correct replacement ``fix``, what the bug does (``explanation``), and the ``harness``:
    ``harness(function, seed) -> float`` measures ``what`` (small for the fixed code)."""

    key: str
    title: str
    code: str
    line: int
    fix: str
    explanation: str
    what: str
    harness: Callable[[Callable, int], float]
    wrong_fix: str
    tolerance: float = 1e-4


@dataclass(frozen=True)
class Outcome:
    """What the harness measured for one version of a snippet: a number, or the error it raised."""

    value: float | None
    error: str | None

    def __str__(self) -> str:
        return self.error if self.error is not None else f"{self.value:.3g}"

    @property
    def short(self) -> str:
        """The number to 3 significant digits, or the exception's type alone."""
        return self.error.split(":")[0] if self.error is not None else f"{self.value:.3g}"


@dataclass(frozen=True)
class Effect:
    """The difference a bug makes: the harness's ``what`` for the buggy and the fixed code."""

    what: str
    buggy: Outcome
    fixed: Outcome


BUGS: dict[str, Bug] = {}
"""The drill's snippets by exercise key."""


def _lines(code: str) -> list[str]:
    return code.strip("\n").splitlines()


def show(key: str) -> None:
    """Print the snippet of ``key`` with line numbers."""
    for number, text in enumerate(_lines(_bug(key).code), start=1):
        print(f"{number:>2} | {text}")


def _patched(bug: Bug, line: int, text: str) -> str:
    lines = _lines(bug.code)
    old = lines[line - 1]
    indent = old[: len(old) - len(old.lstrip())]
    lines[line - 1] = indent + text.strip()
    return "\n".join(lines)


def _compile(bug: Bug, code: str) -> Callable:
    namespace = {"torch": torch, "nn": nn, "F": F, "math": math}
    exec(compile(code, f"<{bug.key}>", "exec"), namespace)  # noqa: S102 - the course's own snippet, one line changed
    return namespace[_function_name(bug)]


def _function_name(bug: Bug) -> str:
    return _lines(bug.code)[0].split("def ", 1)[1].split("(", 1)[0]


def _measure(bug: Bug, code: str, seed: int) -> Outcome:
    try:
        function = _compile(bug, code)
        value = float(bug.harness(function, seed))
    except Exception as error:  # noqa: BLE001 - an exception is an outcome to show
        return Outcome(None, f"{type(error).__name__}: {str(error).splitlines()[0]}")
    return Outcome(value, None)


def effect(key: str, seed: int = 0) -> Effect:
    """Run the buggy and the fixed snippet of ``key`` through its harness with ``seed``."""
    bug = _bug(key)
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(tr("seed must be an integer >= 0; got {seed!r}", seed=seed))
    return Effect(bug.what, _measure(bug, bug.code, seed),
                  _measure(bug, _patched(bug, bug.line, bug.fix), seed))


def _same(a: Outcome, b: Outcome, tolerance: float) -> bool:
    if a.value is None or b.value is None:
        return a.error is not None and a.error == b.error
    return abs(a.value - b.value) <= tolerance * (1 + abs(b.value))


def _check(bug: Bug, answer) -> None:
    if not (isinstance(answer, tuple) and len(answer) == 2):
        raise Incorrect(tr("answer must be a pair (line_number, \"the corrected line\"), e.g. "
                           "(3, \"x = x + 1\"); got {kind}", kind=type(answer).__name__))
    line, text = answer
    n = len(_lines(bug.code))
    if isinstance(line, bool) or not isinstance(line, Integral) or not 1 <= line <= n:
        raise Incorrect(tr("the line number must be an integer from 1 to {n}; got {line!r}", n=n, line=line))
    if not isinstance(text, str) or not text.strip():
        raise Incorrect(tr("the corrected line must be a non-empty string of code; got {text!r}", text=text))
    patched = _patched(bug, int(line), text)
    try:
        compile(patched, f"<{bug.key}>", "exec")
    except SyntaxError as error:
        raise Incorrect(tr("your corrected line does not parse: {why}", why=error.msg)) from None
    buggy = _measure(bug, bug.code, 0)
    fixed = _measure(bug, _patched(bug, bug.line, bug.fix), 0)
    yours = _measure(bug, patched, 0)
    if _same(yours, fixed, bug.tolerance):
        return
    if _same(yours, buggy, bug.tolerance):
        where = tr("that line is not the bug") if line != bug.line else tr("the bug is still there")
        if yours.error is not None:
            raise Incorrect(tr("{where}: with your change the code still raises {error}", where=where,
                               error=yours.error))
        raise Incorrect(tr("{where}: with your change, {what} is still {yours} (fixed: {fixed})", where=where,
                           what=tr(bug.what), yours=yours, fixed=fixed))
    if yours.error is not None:
        raise Incorrect(tr("with your change the code raises {error} (with the course's fix, "
                           "{what} is {fixed})", error=yours.error, what=tr(bug.what), fixed=fixed))
    raise Incorrect(tr("your change alters the result but does not fix it: {what} is {yours}; "
                       "buggy {buggy}, fixed {fixed}", what=tr(bug.what), yours=yours, buggy=buggy,
                       fixed=fixed))


def check(key: str, answer) -> bool:
    """Check ``answer`` to snippet ``key``; on success, print what the bug does and the measured difference."""
    bug = _bug(key)
    passed, message = evaluate(key, answer)
    print(("✅ " if passed else "❌ ") + message)
    if passed:
        result = effect(key)
        print(tr("   the bug: {explanation}", explanation=tr(bug.explanation)))
        print(tr("   {what}: buggy {buggy}, fixed {fixed}", what=tr(result.what), buggy=result.buggy,
                 fixed=result.fixed))
    return passed


def _bug(key: str) -> Bug:
    get(key)  # registers every module's exercises; a ValueError lists the keys
    if key not in BUGS:
        raise ValueError(tr("key must be one of {snippets}; got {key!r}", snippets=", ".join(map(repr, BUGS)), key=key))
    return BUGS[key]


def _register(bug: Bug) -> Bug:
    BUGS[bug.key] = bug
    right_line = _lines(bug.code)[bug.line - 1].strip()
    other = 1 if bug.line != 1 else 2
    register(Exercise(
        key=bug.key,
        title=bug.title,
        checker=lambda answer: _check(bug, answer),
        reference=lambda: (bug.line, bug.fix),
        wrong=(lambda: (bug.line, right_line), lambda: (bug.line, bug.wrong_fix),
               lambda: (other, _lines(bug.code)[other - 1].strip())),
        hints=(lambda: tr(_HINT, what=tr(bug.what)),),
        solution=lambda: _SOLUTION.format(line=bug.line, fix=bug.fix, explanation=tr(bug.explanation)),
    ))
    return bug


_HINT = N_("Measure it: {what}. Which line makes that number wrong?")
_SOLUTION = "answer = ({line}, {fix!r})\n# {explanation}"  # code and a comment: only the comment is words


# --- harnesses: seeded measurements, small for the fixed code --------------------------------


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


@contextmanager
def _seeded(seed: int):
    """PyTorch's global generator seeded with ``seed`` inside, restored after (for layer inits)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def _layer_norm_error(function, seed, scale=2.0, d=8) -> float:
    """Max |function(x) - F.layer_norm(x)| relative to 1, for x ~ scale N(0, 1) + 1 of shape (16, d)."""
    g = _generator(seed)
    x = scale * torch.randn(16, d, generator=g) + scale / 2
    w, b = 1 + 0.5 * torch.randn(d, generator=g), 0.2 * torch.randn(d, generator=g)
    with torch.no_grad():
        return (function(x, w, b) - F.layer_norm(x, (d,), w, b, 1e-5)).abs().max().item()


def _linear_blocks(seed: int, n: int, d: int) -> list[nn.Module]:
    with _seeded(seed):
        return [nn.Linear(d, d) for _ in range(n)]


def _stack_error(function, seed) -> float:
    """Max error of the returned output and of the caller's input (which must come back unchanged)."""
    g = _generator(seed)
    blocks = _linear_blocks(seed, 4, 8)
    x = torch.randn(16, 8, generator=g)
    before = x.clone()
    with torch.no_grad():
        out = function(x, blocks)
        expected = before
        for f in blocks:
            expected = expected + f(expected)
    return max((x - before).abs().max().item(), (out - expected).abs().max().item())


def _batch_dependence(function, seed) -> float:
    """Max change of 4 test predictions between a batch of 4 and the same 4 inside 32 others."""
    g = _generator(seed)
    with _seeded(seed):
        model = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 2))
    with torch.no_grad():  # training-mode passes fill the running statistics
        for _ in range(20):
            model(torch.randn(32, 4, generator=g) + 1)
    x = torch.randn(32, 4, generator=g) + 1
    alone = function(model, x[:4])
    together = function(model, x)[:4]
    return (alone - together).abs().max().item()


def _final_norm_error(function, seed) -> float:
    """Max |what the head receives - final_norm(x_L)|, x_L the output of the un-normalised stack.

    The head returns its input, so any other input to it (the stream normalised after every
    block, a constant, the raw stream) shows as a difference, not only a wrong scale.
    """
    with _seeded(seed):
        blocks = [TransformerBlock(32, 4, 64, placement="pre") for _ in range(12)]
    final_norm = nn.LayerNorm(32)
    x = torch.randn(4, 8, 32, generator=_generator(seed))
    with torch.no_grad():
        stream = x
        for block in blocks:
            stream = block(stream)
        expected = final_norm(stream)
        return (function(x, blocks, final_norm, nn.Identity()) - expected).abs().max().item()


def _attention_branch(function, seed) -> float:
    with _seeded(seed):
        attn = nn.MultiheadAttention(16, 4, batch_first=True)
    norm = nn.LayerNorm(16)
    x = torch.randn(2, 5, 16, generator=_generator(seed))
    with torch.no_grad():
        out = function(x, attn, norm)
        h = norm(x)
        expected = x + attn(h, h, h, need_weights=False)[0]
    return (out - expected).abs().max().item()


def _sublayer_error(function, seed) -> float:
    """Max |block(x) - (x + f(norm(x)))| for a random branch and for a zero-initialised one.

    With the branch's last layer zero (ReZero/Fixup-style init) a correct block is the identity.
    """
    with _seeded(seed):
        f = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 8))
    norm = nn.LayerNorm(8)
    x = torch.randn(16, 8, generator=_generator(seed))
    error = 0.0
    with torch.no_grad():
        for _ in range(2):
            error = max(error, (function(x, f, norm) - (x + f(norm(x)))).abs().max().item())
            f[2].weight.zero_()
            f[2].bias.zero_()
    return error


def _shortcut_error(function, seed) -> float:
    """Max error of block(x) against linear(relu(x)) + x and of the caller's x afterwards.

    The shortcut must carry the input unchanged, and the caller's tensor must come back
    unchanged (a clone taken inside the block does not stop an in-place ReLU on x itself).
    """
    with _seeded(seed):
        linear = nn.Linear(8, 8)
    x = torch.randn(16, 8, generator=_generator(seed))
    before = x.clone()
    with torch.no_grad():
        expected = linear(torch.relu(before)) + before
        out = function(x, linear)
    return max((x - before).abs().max().item(), (out - expected).abs().max().item())


def _attention_error(function, seed) -> float:
    g = _generator(seed)
    q, k, v = (torch.randn(2, 4, 6, 8, generator=g) for _ in range(3))
    return (function(q, k, v) - F.scaled_dot_product_attention(q, k, v)).abs().max().item()


# --- the snippets ---------------------------------------------------------------------------

_register(Bug(
    key="06.bug_inplace_residual",
    title=N_("a residual stack that writes into its input"),
    code='''
def residual_stack(x, blocks):
    for f in blocks:
        x += f(x)
    return x
''',
    line=3, fix="x = x + f(x)", wrong_fix="x = f(x)",
    explanation=N_("x += f(x) adds in place: the caller's tensor is overwritten (and autograd fails "
                "when x is needed for a gradient); x = x + f(x) makes a new tensor"),
    what=N_("max error of the output and of the caller's input afterwards"),
    harness=_stack_error,
))

_register(Bug(
    key="06.bug_wrong_dim",
    title=N_("LayerNorm with a statistic over the wrong dimension"),
    code='''
def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(0, keepdim=True)
    var = (x - mean).pow(2).mean(-1, keepdim=True)
    return weight * (x - mean) / torch.sqrt(var + eps) + bias
''',
    line=2, fix="mean = x.mean(-1, keepdim=True)", wrong_fix="mean = x.mean(0)",
    explanation=N_("the mean is taken over dim 0, the batch: each example's output then depends on "
                "the other examples; LayerNorm's statistics are per example, over the last dim"),
    what=N_("max |output - F.layer_norm|"),
    harness=_layer_norm_error,
))

_register(Bug(
    key="06.bug_batchnorm_train_mode",
    title=N_("inference with BatchNorm still in training mode"),
    code='''
def predict(model, x):
    model.eval
    with torch.no_grad():
        return model(x)
''',
    line=2, fix="model.eval()", wrong_fix="model.train()",
    explanation=N_("model.eval without () does nothing: BatchNorm stays in training mode and "
                "normalises with the test batch's statistics (and updates its running ones), so "
                "a prediction depends on what else is in the batch"),
    what=N_("max change of 4 predictions between a batch of 4 and a batch of 32"),
    harness=_batch_dependence,
))

_register(Bug(
    key="06.bug_pre_ln_final_norm",
    title=N_("a Pre-LN stack without its final norm"),
    code='''
def pre_ln_forward(x, blocks, final_norm, head):
    for block in blocks:
        x = block(x)
    return head(x)
''',
    line=4, fix="return head(final_norm(x))", wrong_fix="return head(final_norm(x) + x)",
    explanation=N_("in a Pre-LN stack the residual stream is never normalised inside the blocks; "
                "the head must get final_norm(x), or it sees a scale that grows with depth"),
    what=N_("max |head's input - final_norm(output of the 12 blocks)|"),
    harness=_final_norm_error,
))

_register(Bug(
    key="06.bug_attention_tuple",
    title=N_("a self-attention sub-layer with nn.MultiheadAttention"),
    code='''
def attention_sublayer(x, attn, norm):
    h = norm(x)
    return x + attn(h, h, h)
''',
    line=3, fix="return x + attn(h, h, h, need_weights=False)[0]", wrong_fix="return x + attn(h, h, h)[1]",
    explanation=N_("nn.MultiheadAttention returns a tuple (output, attention weights): take [0]"),
    what=N_("max |output - (x + attention output)|"),
    harness=_attention_branch,
))

_register(Bug(
    key="06.bug_unbiased_variance",
    title=N_("LayerNorm with torch's default variance"),
    code='''
def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    var = x.var(-1, keepdim=True)
    return weight * (x - mean) / torch.sqrt(var + eps) + bias
''',
    line=3, fix="var = x.var(-1, keepdim=True, correction=0)", wrong_fix="var = x.std(-1, keepdim=True)",
    explanation=N_("x.var() is the unbiased variance (divides by d - 1); LayerNorm uses the biased "
                "one, so the output is too small by the factor sqrt((d-1)/d)"),
    what=N_("max |output - F.layer_norm| at d = 8"),
    harness=_layer_norm_error,
))

_register(Bug(
    key="06.bug_eps_outside",
    title=N_("LayerNorm that should match nn.LayerNorm"),
    code='''
def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    var = (x - mean).pow(2).mean(-1, keepdim=True)
    return weight * (x - mean) / (var.sqrt() + eps) + bias
''',
    line=4, fix="return weight * (x - mean) / torch.sqrt(var + eps) + bias",
    wrong_fix="return weight * (x - mean) / (var.sqrt() + eps**2) + bias",
    explanation=N_("eps is added to the standard deviation, sqrt(var) + eps; nn.LayerNorm (PyTorch's "
                "convention) adds it to the variance, sqrt(var + eps). Both avoid dividing by "
                "zero (the Annotated Transformer uses std + eps; Ba et al. 2016 write no eps); "
                "they differ only for inputs whose std is about sqrt(eps) or below"),
    what=N_("max |output - F.layer_norm| for inputs of std 0.001 (sqrt(eps) = 0.0032)"),
    harness=lambda function, seed: _layer_norm_error(function, seed, scale=1e-3),
))

_register(Bug(
    key="06.bug_branch_doubled",
    title=N_("a Pre-LN sub-layer (the source text's slip)"),
    code='''
def pre_ln_sublayer(x, f, norm):
    h = f(norm(x))
    return h + h
''',
    line=3, fix="return x + h", wrong_fix="return h",
    explanation=N_("h + h doubles the branch and drops the residual stream: with a zero-initialised "
                "branch the block outputs zeros instead of its input"),
    what=N_("max |block(x) - (x + f(norm(x)))|, random and zero-initialised branch"),
    harness=_sublayer_error,
))

_register(Bug(
    key="06.bug_inplace_relu_shortcut",
    title=N_("a pre-activation block with an in-place ReLU"),
    code='''
def pre_activation_block(x, linear):
    identity = x
    out = F.relu(x, inplace=True)
    out = linear(out)
    return out + identity
''',
    line=3, fix="out = F.relu(x)", wrong_fix="out = F.relu(identity, inplace=True)",
    explanation=N_("identity is the same tensor as x, and the in-place ReLU zeroes its negative "
                "entries: the shortcut no longer carries the input, and the caller's x is "
                "overwritten too (so identity = x.clone() is not enough)"),
    what=N_("max error of block(x) against linear(relu(x)) + x and of the caller's x afterwards"),
    harness=_shortcut_error,
))

_register(Bug(
    key="06.bug_softmax_dim",
    title=N_("scaled dot-product attention"),
    code='''
def attention(q, k, v):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    weights = scores.softmax(dim=-2)
    return weights @ v
''',
    line=3, fix="weights = scores.softmax(dim=-1)", wrong_fix="weights = scores.softmax(dim=0)",
    explanation=N_("the softmax runs over the queries; each query's weights over the keys (the last "
                "dim) must sum to 1"),
    what=N_("max |output - F.scaled_dot_product_attention|"),
    harness=_attention_error,
))
