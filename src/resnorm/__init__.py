"""resnorm: the helper package of the course on residual connections and layer normalization.

Modules, from the physics up to what a reader sees: ``norms``, ``models``, ``measure``, ``data``
(the building blocks), ``experiments`` (named, seeded experiments that return plain results),
``plots``, ``widgets`` and ``exercises`` (what the notebooks show). ``setup()`` goes at the top
of every notebook.
"""

from .i18n import language
from .session import seed_everything, seeds, setup

__version__ = "0.1.0"
__all__ = ["setup", "seeds", "seed_everything", "language", "__version__"]
