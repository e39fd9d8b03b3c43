"""The one setting a fork of the course changes: where its repository lives on GitHub.

The website's Binder launch buttons derive from it (``site/conf.py``), and so do the links that
``tests/test_site.py`` expects. A fork sets its own ``owner/name`` here and nothing else.
"""

REPOSITORY = "resnorm-course/resnorm"
