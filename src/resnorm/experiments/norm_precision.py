"""Why normalization runs in float32 under mixed precision: the variance of large activations in float16.

float16's largest finite value is 65504, so the square of an entry above about 256 is already
``inf``: a LayerNorm written out in float16 (``mean((x - mean)**2)``) overflows on a residual
stream whose entries are a few hundred, and divides every entry by ``inf``. The same computation
in float32 is fine. PyTorch's autocast therefore runs ``layer_norm`` (and ``rms_norm``) in
float32 even where matrix products run in float16 or bfloat16.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import check_float, check_int, check_seeds
from ..i18n import tr
from ..norms import LayerNorm

PRECISIONS = {"float16": torch.float16, "float32": torch.float32}
"""The dtypes :func:`run_norm_precision` computes the from-scratch LayerNorm in."""


@dataclass
class NormPrecisionResult:
    """A from-scratch LayerNorm of large activations in each dtype of :data:`PRECISIONS`, per seed.

    ``variance[name]`` ``(n_seeds,)``: the variance it computes (mean over the tokens; ``inf``
    if it overflowed); ``error[name]`` ``(n_seeds,)``: largest ``|difference|`` of its output from
    the float64 LayerNorm (outputs have unit variance, so 1 is an error of one standard deviation).
    ``autocast_dtypes``: the dtype that ``linear``, ``layer_norm`` and ``rms_norm`` return under
    ``torch.autocast("cpu", dtype=torch.float16)``.
    """

    variance: dict[str, np.ndarray]
    error: dict[str, np.ndarray]
    autocast_dtypes: dict[str, torch.dtype]


def autocast_output_dtypes(dtype: torch.dtype = torch.float16) -> dict[str, torch.dtype]:
    """The dtype each of ``linear``, ``layer_norm`` and ``rms_norm`` returns for float32 inputs under CPU autocast to ``dtype``."""
    if dtype not in (torch.float16, torch.bfloat16):
        raise ValueError(tr("dtype must be torch.float16 or torch.bfloat16; got {dtype!r}", dtype=dtype))
    x, w = torch.ones(2, 4), torch.ones(4, 4)
    with torch.autocast("cpu", dtype=dtype):
        return {"linear": F.linear(x, w).dtype, "layer_norm": F.layer_norm(x, (4,)).dtype,
                "rms_norm": F.rms_norm(x, (4,)).dtype}


def run_norm_precision(*, n_tokens: int = 16, d: int = 256, scale: float = 300.0, seeds=range(3)) -> NormPrecisionResult:
    """Normalise activations of standard deviation ``scale`` with ``resnorm.norms.LayerNorm`` in float16 and float32.

    Per seed, ``x`` ``(n_tokens, d)`` is ``scale`` times standard normal (a generator seeded by
    the seed), created in float32 and cast to each dtype.
    """
    n_tokens = check_int("n_tokens", n_tokens, minimum=1)
    d = check_int("d", d, minimum=2)
    scale = check_float("scale", scale, minimum=0.0, strict_minimum=True)
    seeds = check_seeds("seeds", seeds)
    variance = {name: [] for name in PRECISIONS}
    error = {name: [] for name in PRECISIONS}
    with torch.no_grad():
        for seed in seeds:
            x = scale * torch.randn(n_tokens, d, generator=torch.Generator().manual_seed(seed))
            exact = LayerNorm(d).double()(x.double())
            for name, dtype in PRECISIONS.items():
                xd = x.to(dtype)
                variance[name].append(float((xd - xd.mean(-1, keepdim=True)).pow(2).mean(-1).float().mean()))
                out = LayerNorm(d).to(dtype)(xd)
                error[name].append(float((out.double() - exact).abs().max()))
    as_arrays = lambda values: {name: np.array(v) for name, v in values.items()}
    return NormPrecisionResult(as_arrays(variance), as_arrays(error), autocast_output_dtypes())
