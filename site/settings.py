"""The one setting a fork of the course changes: where its repository lives on GitHub.

The website's Binder launch buttons and its links to repository files derive from it when the
site is built (``site/conf.py``). The files a reader opens on GitHub (the READMEs' Binder badges
and links, the repo2docker and nbgitpuller examples, pyproject.toml's project URL) get it from
``make links`` (``site/links.py``). A fork sets its own ``owner/name`` here, runs ``make links``,
and changes nothing else; ``tests/test_site.py`` fails, naming ``make links``, while any link
disagrees with this setting.
"""

REPOSITORY = "resnorm-course/resnorm"
