"""Sphinx configuration of the course's website, shared by both editions (see site/build.py).

The edition comes from the environment variable RESNORM_SITE_EDITION (en or zh), which
site/build.py sets for each of its two builds. Pages are the notebooks' stored outputs
(myst-nb, ``nb_execution_mode = "off"``) in sphinx-book-theme, with every feature that would
ask another host for something switched off: no repository buttons, no analytics, no widget
manager or require.js from a CDN, and MathJax from build/site/_vendor/ (site/vendor.lock.json).
Every notebook page gets a Binder launch button, a download button for its .ipynb and a link to
the same page in the other edition (templates/course-buttons.html).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import sys
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese
from sphinx.transforms.post_transforms import SphinxPostTransform

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # jupyter_anchors


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"resnorm_site_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REPOSITORY = _load("settings").REPOSITORY
EDITIONS = _load("build").EDITIONS
BINDER = "https://mybinder.org/v2/gh"

EDITION = os.environ.get("RESNORM_SITE_EDITION", "en")
if EDITION not in EDITIONS:
    raise ValueError(f"RESNORM_SITE_EDITION must be one of {', '.join(EDITIONS)}; got {EDITION!r}")
OTHER = "zh" if EDITION == "en" else "en"

# What each edition's pages say around the notebooks.
TEXT = {
    "en": {
        "title": "resnorm: residual connections and LayerNorm, measured",
        "binder": "Binder", "binder_tip": "Run this notebook on Binder (JupyterLab in the browser)",
        "download": ".ipynb", "download_tip": "Download this notebook",
        "switch": "中文", "switch_tip": "同一页的中文版",
        "figure_alt": "Figure: {heading}",
    },
    "zh": {
        "title": "resnorm：残差连接和层归一化，逐项实测",
        "binder": "Binder", "binder_tip": "在 Binder 上运行这个 notebook（浏览器里的 JupyterLab）",
        "download": ".ipynb", "download_tip": "下载这个 notebook",
        "switch": "English", "switch_tip": "The same page in English",
        "figure_alt": "图：{heading}",
    },
}

project = "resnorm"
author = ""  # (the theme would print "By the resnorm authors" above the copyright line)
copyright = "the resnorm authors, MIT licence"
language = {"en": "en", "zh": "zh_CN"}[EDITION]
html_title = TEXT[EDITION]["title"]
root_doc = "index"
extensions = ["myst_nb"]
exclude_patterns = ["**.ipynb_checkpoints"]
templates_path = [str(HERE / "templates")]
html_static_path = [str(HERE / "static")]
html_css_files = ["course.css"]
html_js_files = ["explorer.js"]  # the explorers without a kernel (site/explorers.py)
html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    # Our own buttons (templates/course-buttons.html) next to the sidebar toggle.
    "article_header_start": ["toggle-primary-sidebar", "course-buttons"],
    "use_download_button": False,
    "use_fullscreen_button": True,
    "use_repository_button": False,
    "use_source_button": False,
    "use_edit_page_button": False,
    "use_issues_button": False,
    "launch_buttons": {},
    "navigation_with_keys": False,
}
html_context = {"default_mode": "light"}  # (without it the theme logs an error on a first visit)
html_last_updated_fmt = None
html_show_sphinx = False
html_copy_source = True  # _sources/<notebook>.ipynb: the download button's file
html_sourcelink_suffix = ""


def course_terms() -> list[str]:
    """The Chinese terms of docs/terminology.zh-CN.md (its table's 中文 column, without the
    parenthesised English), e.g. 层归一化, 前置归一化, 残差流: words for jieba's dictionary."""
    terms = set()
    for line in (ROOT / "docs" / "terminology.zh-CN.md").read_text(encoding="utf-8").splitlines():
        cells = line.strip().strip("|").split("|")
        if line.startswith("|") and len(cells) >= 2:
            terms.update(re.findall(r"[\u4e00-\u9fff]{2,}", re.sub(r"（[^）]*）", "", cells[1])))
    return sorted(terms)


# Only the Chinese search reads them (ChineseSearch); as configuration, a change of the terms
# rebuilds the index.
html_search_options = {"dict": "", "course_terms": " ".join(course_terms())}
# jieba reports on stderr how it loads its dictionary, at every build
logging.getLogger("jieba").setLevel(logging.WARNING)

# Stored outputs only: the notebooks are executed by `make notebooks`, never by the site.
nb_execution_mode = "off"
# No require.js and no widget manager from a CDN: the site has no kernel. Each explorer's stored
# widget is replaced by its precomputed frames (site/explorers.py, static/explorer.js).
nb_ipywidgets_js = {}
myst_enable_extensions = ["dollarmath", "amsmath"]
# MathJax 2 (vendored) typesets the whole page; myst's MathJax 3/4 settings do not apply to it.
myst_update_mathjax = False
# Heading anchors as Jupyter makes them ("## 1. The principle" -> "#1.-The-principle"), so the
# notebooks' own links to their sections resolve on the site as they do in JupyterLab.
myst_heading_anchors = 6

myst_heading_slug_func = "jupyter_anchors.slug"
suppress_warnings = ["myst.header"]

mathjax_path = "../../_vendor/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
# The MathJax of jupyter-server-mathjax ships the STIX-Web fonts of the HTML-CSS output only, and
# no request may fail: the same settings as the slide decks (src/resnorm/slides/offline_reveal.html.j2).
mathjax2_config = {
    "messageStyle": "none",
    "tex2jax": {"processEscapes": True},
    "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web", "imageFont": None,
                 "styles": {"@font-face": {"font-family": "MathJax_Blank", "src": "local('MathJax_Blank')"}}},
}


def _pages(edition: str) -> set[str]:
    return {p.stem for p in (ROOT / EDITIONS[edition]).glob("[0-9][0-9]_*.ipynb")} | {"index", "search", "genindex"}


def binder_url(edition: str, notebook: str | None) -> str:
    """The Binder link that opens ``notebook`` (its name, or None for the edition's start) in ``edition``."""
    if edition == "en":
        return f"{BINDER}/{REPOSITORY}/HEAD?urlpath=lab/tree/{EDITIONS['en']}/{notebook or '00_start_here'}.ipynb"
    # resnorm_lab's page: JupyterLab's own interface in Chinese, then the notebook
    return f"{BINDER}/{REPOSITORY}/HEAD?urlpath=resnorm/edition/{edition}" + (f"/{notebook}" if notebook else "")


def add_course_buttons(app, pagename, templatename, context, doctree):
    text = TEXT[EDITION]
    notebook = pagename if re.fullmatch(r"[0-9]{2}_[a-z_]+", pagename) else None
    up = "../" * (pagename.count("/") + 1)
    other = pagename if pagename in _pages(OTHER) else "index"
    context.update(
        course_text=text,
        course_binder_url=binder_url(EDITION, notebook),
        course_download=f"{context['pathto']('_sources', 1)}/{pagename}.ipynb" if notebook else None,
        course_download_name=f"{pagename}.ipynb",
        course_other_edition=f"{up}{OTHER}/{other}.html",
        course_other_language={"en": "en", "zh": "zh-CN"}[OTHER],
    )


def _edition_link(target: str) -> str | None:
    """Where a link that leaves the edition goes: the other edition's page, a repository file, or None.

    The Chinese notebooks link their English original as ``../NN_name.ipynb``; a notebook that
    this edition does not have (yet) is read in the other; the home pages link ``../zh/index.html``.
    """
    notebook = re.fullmatch(r"(?:\.\./)?([0-9]{2}_[a-z_]+)\.ipynb(#.*)?", target)
    if notebook and notebook.group(1) in _pages(OTHER):
        if notebook.group(0).startswith("../") or notebook.group(1) not in _pages(EDITION):
            return f"../{OTHER}/{notebook.group(1)}.html{notebook.group(2) or ''}"
    if re.fullmatch(r"\.\./(en|zh)/[\w.]+\.html", target):
        return target
    # A repository file beside the notebooks (README, data/...): the file in the repository.
    depth = 1 if EDITION == "en" else 2  # notebooks/ or notebooks/zh/ below the repository root
    repo_file = re.fullmatch(r"((?:\.\./)+)([\w./-]+\.(?:md|csv|py|txt|yml|toml))(#.*)?", target)
    if repo_file and len(repo_file.group(1)) == 3 * depth:
        return f"https://github.com/{REPOSITORY}/blob/HEAD/{repo_file.group(2)}{repo_file.group(3) or ''}"
    return None


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search: Chinese words cut by jieba, Latin words stemmed as English.

    Sphinx 9.0 names the page's JavaScript stemmer after ``language_name`` (``window.Stemmer =
    ChineseStemmer``), a class it does not ship: the English stemmer it does ship for the Latin
    words is ``EnglishStemmer`` (sphinx-doc/sphinx#14229, fixed by #14416 after 9.0.4). The
    default ``dict`` option would load jieba's own dictionary a second time, as a user dictionary
    (seconds of build time, the same words): the search options set it empty. The course's terms
    (option ``course_terms``) join jieba's dictionary, so that 层归一化 is indexed as a word (and,
    cut for search, as 归一化 too): the page looks a query up whole, and a reader types 层归一化.
    """

    language_name = "English"

    def __init__(self, options: dict[str, str]) -> None:
        if not JIEBA_DEFAULT_DICT:  # sphinx.search.zh found no jieba: the index would have no Chinese word
            raise ExtensionError("site: the Chinese edition's search needs jieba (make install)")
        super().__init__(options)
        import jieba

        for term in options.get("course_terms", "").split():
            jieba.add_word(term)


class EditionLinks(SphinxPostTransform):
    """Turn such links into plain links before myst looks for them in this edition (priority 9)."""

    default_priority = 8

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(addnodes.pending_xref)):
            uri = _edition_link(node.get("reftarget", "")) if node.get("reftype") == "myst" else None
            if uri:
                reference = nodes.reference("", "", internal=False, refuri=uri)
                reference += node[0].deepcopy() if len(node) else nodes.Text(uri)
                node.replace_self(reference)


class FigureAltText(SphinxPostTransform):
    """Alt text for the figures of the stored outputs: "Figure: <the section's heading>" ("图：…").

    A stored figure is a bare PNG, so the page would give its file name as alt text. The heading
    it sits under is the most we know about it without inventing a description; the text around
    each figure in the notebook says what it shows. An alt set in the notebook is kept.
    """

    default_priority = 800

    def run(self, **kwargs) -> None:
        for image in self.document.findall(nodes.image):
            if image.get("alt") or not _in_cell_output(image):
                continue
            section = next((node for node in _ancestors(image) if isinstance(node, nodes.section)), None)
            heading = section[0].astext() if section is not None and isinstance(section[0], nodes.title) else html_title
            image["alt"] = TEXT[EDITION]["figure_alt"].format(heading=heading)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _in_cell_output(node: nodes.Node) -> bool:
    """Is ``node`` part of a code cell's stored output (myst-nb's container of class cell_output)?"""
    return any(isinstance(parent, nodes.container) and "cell_output" in parent.get("classes", [])
               for parent in _ancestors(node))


def setup(app):
    app.connect("html-page-context", add_course_buttons)
    app.add_post_transform(EditionLinks)
    app.add_post_transform(FigureAltText)
    app.add_search_language(ChineseSearch)
