"""make lab EDITION=zh / the Binder link: the page that sets JupyterLab's language and opens the edition."""

import json

import pytest

from resnorm_lab import SETTINGS_FILE, notebook_path, set_interface_language


def test_notebook_paths_of_both_editions():
    assert notebook_path("en") == "notebooks/00_start_here.ipynb"
    assert notebook_path("zh") == "notebooks/zh/00_start_here.ipynb"
    assert notebook_path("zh", "02_layer_normalization") == "notebooks/zh/02_layer_normalization.ipynb"


def test_bad_edition_or_notebook_is_named():
    with pytest.raises(ValueError, match="edition must be one of 'en', 'zh'; got 'fr'"):
        notebook_path("fr")
    with pytest.raises(ValueError, match="notebook must be a course notebook's name"):
        notebook_path("zh", "../../etc/passwd")
    with pytest.raises(ValueError, match="edition must be one of"):
        set_interface_language(".", "de")


def test_language_setting_is_written_and_other_keys_kept(tmp_path):
    path = set_interface_language(tmp_path, "zh")
    assert path == tmp_path / SETTINGS_FILE
    assert json.loads(path.read_text()) == {"locale": "zh_CN"}
    path.write_text(json.dumps({"locale": "zh_CN", "displayStringsPrefix": "!!"}))
    set_interface_language(tmp_path, "en")
    assert json.loads(path.read_text()) == {"locale": "en", "displayStringsPrefix": "!!"}
