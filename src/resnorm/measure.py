"""Measurements taken on a model after ``loss.backward()``: gradient norms, per layer.

The per-layer view is the one diagnostic that makes vanishing and exploding gradients visible in
a single plot (Karpathy, makemore part 3): one number per layer, ordered from input to output.
"""

from __future__ import annotations

import torch
from torch import nn

from .i18n import tr

MEASURED_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
"""Module types whose weight gradient :func:`per_layer_grad_norms` reports."""


def per_layer_grad_norms(model: nn.Module) -> dict[str, float]:
    """L2 (Frobenius) norm of the weight gradient of every Linear/Conv layer of ``model``.

    Returns an ordered ``dict`` from the layer's qualified name (``"blocks.3.linear"``) to
    ``||dL/dW||_2`` (a plain float, in units of the loss per unit weight), in registration order,
    i.e. from input to output for the models of this package. Call it after ``loss.backward()``;
    it raises ``RuntimeError`` if no layer has a gradient yet.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(tr("model must be a torch.nn.Module; got {type_name}", type_name=type(model).__name__))
    layers = [(name, m) for name, m in model.named_modules() if isinstance(m, MEASURED_LAYERS)]
    if not layers:
        raise ValueError(tr("model has no Linear or Conv layers to measure ({type_name})",
                            type_name=type(model).__name__))
    grads = [m.weight.grad for _, m in layers]
    missing = [name for (name, _), grad in zip(layers, grads) if grad is None]
    if len(missing) == len(layers):
        raise RuntimeError(
            tr("model has no gradients yet: call loss.backward() before per_layer_grad_norms(model)")
        )
    if missing:
        raise RuntimeError(
            tr("layers {missing} have no gradient: they were not used in the forward pass that "
               "loss.backward() went through", missing=missing)
        )
    # Summed in float64: a float32 gradient with entries below ~1e-19 has squares below float32's
    # range and would report a norm of exactly 0 in a deep plain net. One fused call for all
    # layers (what clip_grad_norm_ uses) keeps the measurement cheap.
    norms = torch.stack(torch._foreach_norm([g.detach().double() for g in grads])).tolist()
    return {name: value for (name, _), value in zip(layers, norms)}
