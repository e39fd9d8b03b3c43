"""An environment check for the start notebook: are the packages the course needs importable?"""

from __future__ import annotations

import importlib.metadata
import platform
import sys
from dataclasses import dataclass

from .i18n import tr

REQUIRED = {
    "torch": "2.4",
    "numpy": "1.24",
    "matplotlib": "3.7",
    "ipywidgets": "8.1",
    "tqdm": "4.66",
}
"""Distribution name -> lowest version the course is tested with (as in pyproject.toml)."""


@dataclass
class EnvironmentReport:
    """Python version, and per package ``(installed version or None, minimum, ok)``."""

    python: str
    packages: dict[str, tuple[str | None, str, bool]]

    @property
    def ok(self) -> bool:
        return all(ok for _, _, ok in self.packages.values())

    def __str__(self) -> str:
        lines = [f"python      {self.python}"]
        for name, (version, minimum, ok) in self.packages.items():
            mark = tr("ok") if ok else tr("NEEDS >= {minimum}", minimum=minimum)
            shown = version or tr("missing")
            # a CJK character takes two columns of a monospaced font: pad to 14 columns, not characters
            lines.append(f"{name:<11} {shown}{' ' * max(0, 14 - _width(shown))} {mark}")
        return "\n".join(lines)


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font (a CJK character takes two)."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check_environment() -> EnvironmentReport:
    """Installed versions of the course's packages, each compared with its minimum."""
    packages = {}
    for name, minimum in REQUIRED.items():
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            packages[name] = (None, minimum, False)
            continue
        packages[name] = (version, minimum, _version_tuple(version) >= _version_tuple(minimum))
    python = f"{platform.python_version()} ({sys.platform})"
    return EnvironmentReport(python, packages)
