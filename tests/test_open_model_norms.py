"""data/open_model_norms.csv: the cited table of open models' norm and residual choices is sound."""

import math

import pytest

from resnorm.data import load_reference, reference_citation

NAME = "open_model_norms"
NORMS = {"LayerNorm", "RMSNorm"}
PLACEMENTS = {"Pre-LN", "Post-LN", "DeepNorm (Post-LN)", "Pre+Post (sandwich)",
              "Post-norm inside branch (OLMo 2 style)"}
TRISTATE = {"yes", "no", "not stated"}
COLUMNS = ["family", "model", "norm", "placement", "qk_norm", "final_norm", "eps", "source",
           "source_location", "location_checked", "note"]
FAMILIES = {"GPT-2", "BERT", "LLaMA", "Qwen", "DeepSeek", "GLM", "Gemma", "OLMo", "Mistral"}


@pytest.fixture(scope="module")
def rows():
    return load_reference(NAME)


def test_table_loads_with_the_expected_columns_and_families(rows):
    assert list(rows[0]) == COLUMNS
    assert {row["family"] for row in rows} == FAMILIES
    models = [row["model"] for row in rows]
    assert len(models) == len(set(models)), "each model appears once"


def test_citation_header_says_what_the_cells_mean():
    citation = reference_citation(NAME)
    words = ("source", "source_location", "location_checked", "note", "config.json", "not stated")
    for word in words:
        assert word in citation


def test_every_row_cites_a_source_and_where_in_it(rows):
    for row in rows:
        for column in ("source", "source_location", "note"):
            assert row[column].strip(), (row["model"], column)
        assert any(str(year) in row["source"] for year in range(2017, 2026)), row["model"]


def test_categorical_columns_use_the_allowed_values(rows):
    for row in rows:
        assert row["norm"] in NORMS, row
        assert row["placement"] in PLACEMENTS, row
        assert row["qk_norm"] in TRISTATE, row
        assert row["final_norm"] in TRISTATE, row
        assert row["location_checked"] in {"yes", "no"}, row


def test_eps_is_a_small_positive_number_or_not_stated(rows):
    for row in rows:
        if row["eps"] != "not stated":
            eps = float(row["eps"])
            assert math.isfinite(eps) and 0 < eps < 1e-3, row


def test_a_cell_left_not_stated_is_named_in_the_note(rows):
    named_as = {"qk_norm": "QK-norm", "final_norm": "final norm", "eps": "eps"}
    for row in rows:
        for column, words in named_as.items():
            if row[column] == "not stated":
                assert words in row["note"], (row["model"], column)
