"""Write the repository's address from site/settings.py into every file that links it (``make links``).

The website's buttons read ``REPOSITORY`` when the site is built (site/conf.py); the files a
reader opens on GitHub cannot, so this script writes the address into them:

README.md, README.zh-CN.md   the Binder badge, the Binder column of the notebook table, the
                             repo2docker example, the nbgitpuller link and the folder it opens
                             (a clone is named after the repository)
pyproject.toml               [project.urls] Repository

Each rule below finds one kind of link *whatever repository it names*, so a fork that changes
the setting and runs ``make links`` gets every link moved, and tests/test_site.py fails (naming
``make links``) while any of them disagrees with the setting.

Usage: python site/links.py    (rewrites the files that disagree, names them)
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FILES = ["README.md", "README.zh-CN.md", "pyproject.toml"]
COMMAND = "make links"

_OWNER_NAME = r"[\w.-]+/[\w.-]+"
_NAME = r"[\w.-]+"
# (what finds the link, whatever repository it names; what it becomes for "owner/name")
RULES: list[tuple[re.Pattern, str]] = [
    # Binder: badges and the notebook tables' links
    (re.compile(rf"https://mybinder\.org/v2/gh/{_OWNER_NAME}/"), "https://mybinder.org/v2/gh/{repository}/"),
    # repo2docker's last argument, alone on its line of the example
    (re.compile(rf"(?m)^    https://github\.com/{_OWNER_NAME}$"), "    https://github.com/{repository}"),
    # nbgitpuller: the repository (URL-encoded), and the folder of the clone where JupyterLab opens
    (re.compile(rf"git-pull\?repo=https%3A%2F%2Fgithub\.com%2F{_NAME}%2F{_NAME}&"),
     "git-pull?repo=https%3A%2F%2Fgithub.com%2F{quoted}&"),
    (re.compile(rf"&urlpath=lab%2Ftree%2F{_NAME}%2F"), "&urlpath=lab%2Ftree%2F{name}%2F"),
    # ... and the READMEs' word on that folder
    (re.compile(rf"\(`{_NAME}/`, after the repository's name\)"), "(`{name}/`, after the repository's name)"),
    (re.compile(rf"（`{_NAME}/`，即仓库名）"), "（`{name}/`，即仓库名）"),
    # pyproject.toml [project.urls]
    (re.compile(rf'(?m)^Repository = "https://github\.com/{_OWNER_NAME}"$'), 'Repository = "https://github.com/{repository}"'),
]


def configured_repository() -> str:
    """``REPOSITORY`` of site/settings.py ("owner/name")."""
    spec = importlib.util.spec_from_file_location("resnorm_site_settings", HERE / "settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.REPOSITORY


def with_repository(text: str, repository: str) -> tuple[str, int]:
    """``text`` with every link of RULES pointing at ``repository``; and how many links there are."""
    if not isinstance(repository, str) or not re.fullmatch(_OWNER_NAME, repository):
        raise ValueError(f"repository must be 'owner/name' (GitHub); got {repository!r}")
    values = {"repository": repository, "quoted": quote(repository, safe=""), "name": repository.split("/")[1]}
    found = 0
    for pattern, template in RULES:
        link = template.format(**values)
        text, count = pattern.subn(lambda _: link, text)
        found += count
    return text, found


def stale_files(repository: str | None = None) -> list[str]:
    """The FILES whose links do not all point at ``repository`` (default: the setting's)."""
    repository = repository or configured_repository()
    return [name for name in FILES
            if with_repository(text := (ROOT / name).read_text(encoding="utf-8"), repository)[0] != text]


def main() -> int:
    repository = configured_repository()
    for name in stale_files(repository):
        path = ROOT / name
        path.write_text(with_repository(path.read_text(encoding="utf-8"), repository)[0], encoding="utf-8")
        print(f"links: {name} now links {repository}")
    print(f"links: every link of {', '.join(FILES)} points at {repository} (site/settings.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
