"""Our Post-LN and Pre-LN blocks against ``torch.nn.TransformerEncoderLayer``, weight for weight.

PyTorch's encoder layer has both arrangements: ``norm_first=False`` is Post-LN (the original
Transformer), ``norm_first=True`` is Pre-LN. Our :class:`~resnorm.models.TransformerBlock` names
its parameters like PyTorch's, so PyTorch's state dict loads into it strictly and the two can be
compared on the same input.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .._validation import check_choice, check_int
from ..i18n import tr
from ..models import PLACEMENTS, TransformerBlock


@dataclass
class EncoderLayerComparison:
    """One comparison of our block (``placement``) with PyTorch's layer (``norm_first``).

    ``output_diff``: largest ``|ours - theirs|`` of the outputs in training mode (dropout 0);
    ``eval_output_diff``: the same in eval mode without gradients, where PyTorch takes its fused
    fast path; ``input_grad_diff``: largest difference of ``dL/dx`` for ``L = sum(output * r)``
    with ``r`` a fixed standard normal tensor of the output's shape (a random linear read-out:
    ``sum(output**2)`` would not do, since after a LayerNorm of gain 1 and bias 0 it is the
    constant ``d`` up to ``eps`` and its gradient is about 0); ``input_grad_scale``: the largest
    ``|dL/dx|`` of PyTorch's layer, the size against which ``input_grad_diff`` is compared.
    """

    placement: str
    norm_first: bool
    n_parameters: int
    output_diff: float
    eval_output_diff: float
    input_grad_diff: float
    input_grad_scale: float

    @property
    def relative_input_grad_diff(self) -> float:
        """``input_grad_diff / input_grad_scale``: the gradients' difference relative to their size."""
        return self.input_grad_diff / self.input_grad_scale


def compare_with_torch_encoder_layer(placement: str, *, norm_first: bool | None = None,
                                     d_model: int = 32, n_heads: int = 4, d_ff: int = 64,
                                     seed: int = 0, batch: int = 8,
                                     seq_len: int = 10) -> EncoderLayerComparison:
    """Build PyTorch's layer, load its weights into ours (strictly), run both on one input.

    ``norm_first`` defaults to the matching arrangement (``placement == "pre"``); passing the
    other one, or ``placement="source"``, shows how far apart two wirings of the same weights are.
    """
    check_choice("placement", placement, PLACEMENTS)
    if norm_first is None:
        norm_first = placement == "pre"
    if not isinstance(norm_first, bool):
        raise TypeError(tr("norm_first must be True, False or None; got {norm_first!r}", norm_first=norm_first))
    seed = check_int("seed", seed, minimum=0)
    ours = TransformerBlock(d_model, n_heads, d_ff, placement=placement)  # checks the arguments
    torch.manual_seed(seed)
    theirs = nn.TransformerEncoderLayer(d_model, n_heads, d_ff, dropout=0.0, batch_first=True,
                                        norm_first=norm_first)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, seq_len, d_model, generator=generator)
    readout = torch.randn(batch, seq_len, d_model, generator=generator)
    xa, xb = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
    out_a, out_b = ours(xa), theirs(xb)
    (out_a * readout).sum().backward()
    (out_b * readout).sum().backward()
    ours.eval(), theirs.eval()
    with torch.no_grad():
        eval_diff = float((ours(x) - theirs(x)).abs().max())
    return EncoderLayerComparison(
        placement, norm_first, sum(p.numel() for p in ours.parameters()),
        float((out_a - out_b).detach().abs().max()), eval_diff, float((xa.grad - xb.grad).abs().max()),
        float(xb.grad.abs().max()),
    )
