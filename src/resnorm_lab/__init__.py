"""resnorm_lab: open the course in one edition, JupyterLab's own interface included: ``/resnorm/edition/zh``.

A Jupyter server extension with one page per edition. ``/resnorm/edition/zh`` sets JupyterLab's
interface language to Simplified Chinese (the ``jupyterlab-language-pack-zh-CN`` pack) and opens
``notebooks/zh/00_start_here.ipynb``; ``/resnorm/edition/en`` sets English and opens
``notebooks/00_start_here.ipynb``; ``/resnorm/edition/zh/02_layer_normalization`` opens that
notebook. The language is JupyterLab's user setting (Settings > Language), written to the user
settings folder before the redirect, so ``make lab EDITION=zh`` and a Binder link
(``?urlpath=resnorm/edition/zh``) give the same result. ``make install`` and Binder's postBuild
enable the extension by copying ``jupyterlab-settings/resnorm_lab.json`` into the environment's
``etc/jupyter/jupyter_server_config.d/``.

It is a package of its own, not a module of ``resnorm``: JupyterLab imports it when the server
starts, and ``import resnorm`` would load PyTorch and matplotlib (seconds) before the first page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

EDITIONS = {"en": ("en", "notebooks"), "zh": ("zh_CN", "notebooks/zh")}
"""Edition -> (JupyterLab locale, folder of its notebooks, relative to the server's root)."""

START_NOTEBOOK = "00_start_here"
SETTINGS_FILE = Path("@jupyterlab", "translation-extension", "plugin.jupyterlab-settings")
ROUTE = r"resnorm/edition/(?P<edition>[a-z]+)(?:/(?P<notebook>[0-9]{2}_[a-z_]+))?/?"


def notebook_path(edition: str, notebook: str | None = None) -> str:
    """The path, relative to the course's root, of ``notebook`` (a name such as ``02_layer_normalization``) in ``edition``."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(map(repr, EDITIONS))}; got {edition!r}")
    name = START_NOTEBOOK if notebook is None else notebook
    if not re.fullmatch(r"[0-9]{2}_[a-z_]+", name):
        raise ValueError(f"notebook must be a course notebook's name such as '02_layer_normalization'; got {name!r}")
    return f"{EDITIONS[edition][1]}/{name}.ipynb"


def set_interface_language(settings_dir: Path, edition: str) -> Path:
    """Write JupyterLab's language setting for ``edition`` into ``settings_dir``; returns the file.

    Other keys of the setting file (a reader's own choices) are kept.
    """
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(map(repr, EDITIONS))}; got {edition!r}")
    path = Path(settings_dir) / SETTINGS_FILE
    settings = {}
    if path.exists():
        try:
            settings = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            settings = {}  # a hand-edited file with comments: replaced by a valid one
    settings["locale"] = EDITIONS[edition][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return path


def _jupyter_server_extension_points():
    return [{"module": "resnorm_lab"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from jupyterlab.commands import get_user_settings_dir
    from tornado import web

    class EditionHandler(JupyterHandler):
        @web.authenticated
        def get(self, edition: str, notebook: str | None = None) -> None:
            try:
                path = notebook_path(edition, notebook)
            except ValueError as error:
                raise web.HTTPError(404, str(error)) from None
            set_interface_language(Path(get_user_settings_dir()), edition)
            self.redirect(url_path_join(self.base_url, "lab", "tree", path))

    base_url = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base_url, ROUTE), EditionHandler)])
