"""Fonts shipped with resnorm (see README.md here): the Chinese edition's CJK font."""
