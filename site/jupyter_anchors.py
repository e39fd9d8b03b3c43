"""Heading anchors as Jupyter makes them, for myst's ``myst_heading_slug_func`` (site/conf.py).

JupyterLab gives "## 1. The principle" the anchor "#1.-The-principle": the heading's text with
each space replaced by "-". The notebooks link their sections that way, so the site's headings
answer to the same anchors. (A module of its own: Sphinx pickles the setting by import path.)
"""


def slug(text: str) -> str:
    return text.strip().replace(" ", "-")
