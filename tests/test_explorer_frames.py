"""Explorers for the website: the recipe an explorer records, its site grid, and its frames."""

import io
import json

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")

import numpy as np
import PIL.Image
import pytest

from resnorm import explorer_frames, i18n
from resnorm.explorer_frames import manifest, render_for_editions, render_frames
from resnorm.widgets import RECIPE_MIMETYPE, Explorer, explorer_factory, rebuild


def _draw(fig, depth=3, residual=False, norm="none", deleted=(), scale=1.0):
    if depth > 8:
        raise ValueError(f"depth must be <= 8; got {depth}")
    ax = fig.add_subplot()
    ax.plot(np.arange(depth) * scale, label=f"{norm} {residual} {deleted}")
    fig.subplots_adjust(left=0.1, right=0.95, bottom=0.1, top=0.9)


def _controls():
    return {
        "depth": widgets.IntSlider(value=3, min=1, max=10, description="depth"),
        "residual": widgets.Checkbox(value=False, description="residual"),
        "norm": widgets.Dropdown(options=[("no norm", "none"), ("LayerNorm", "layer"), ("RMSNorm", "rms")],
                                 value="none", description="norm"),
        "deleted": widgets.SelectMultiple(options=[("block 1", 0), ("block 2", 1)], value=(), description="delete"),
        "scale": widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=2, description="scale"),
    }


GRID = [{"depth": [1, 3, 5], "residual": [False, True]},
        {"norm": ["layer", "rms"], "deleted": [(), (1,), (0, 1)]},
        {"scale": [0.01, 100.0]}]


def _explorer(**kwargs):
    return Explorer(_draw, _controls(), tight_bbox=False, figsize=(3, 2), site_grid=GRID, **kwargs)


def test_site_settings_are_the_union_of_the_products_initial_first():
    settings = _explorer().site_settings()
    initial = {"depth": 3, "residual": False, "norm": "none", "deleted": (), "scale": 1.0}
    assert settings[0] == initial
    # 3 x 2 + 2 x 3 + 2, the initial setting being one of the first block's
    assert len(settings) == 6 + 6 + 2
    assert len({json.dumps(s, sort_keys=True) for s in settings}) == len(settings)
    assert dict(initial, depth=5, residual=True) in settings
    assert dict(initial, norm="rms", deleted=(0, 1)) in settings
    assert Explorer(_draw, _controls()).site_settings() == [initial]  # no grid: the initial setting only


@pytest.mark.parametrize("grid, error, words", [
    ({"depth": [1]}, TypeError, ["site_grid", "list of dicts"]),
    ([{"width": [1]}], ValueError, ["'width'", "depth, residual, norm, deleted, scale"]),
    ([{"depth": []}], TypeError, ["site_grid['depth']", "non-empty"]),
    ([{"depth": 3}], TypeError, ["site_grid['depth']"]),
    ([{"depth": [1, 11]}], ValueError, ["site_grid['depth']", "[11]"]),
    ([{"norm": ["batch"]}], ValueError, ["site_grid['norm']", "['batch']"]),
    ([{"residual": [1]}], ValueError, ["site_grid['residual']"]),
    ([{"deleted": [(2,)]}], ValueError, ["site_grid['deleted']"]),
    ([{"scale": [1000.0]}], ValueError, ["site_grid['scale']"]),
])
def test_a_bad_site_grid_is_refused_with_a_message_naming_it(grid, error, words):
    with pytest.raises(error) as raised:
        Explorer(_draw, _controls(), site_grid=grid)
    for word in words:
        assert word in str(raised.value)


def test_render_rgba_gives_the_pixels_of_render_png():
    for tight_bbox in (False, True):
        explorer = Explorer(_draw, _controls(), tight_bbox=tight_bbox, figsize=(3, 2))
        setting = dict(explorer.values, depth=5)
        from_png = np.asarray(PIL.Image.open(io.BytesIO(explorer.render_png(**setting))).convert("RGBA"))
        pixels = explorer.render_rgba(**setting)
        assert pixels.dtype == np.uint8 and pixels.shape == from_png.shape
        assert np.abs(pixels.astype(int) - from_png).max() <= 1
    with pytest.raises(ValueError, match="depth"):
        explorer.render_rgba(**dict(setting, depth=9))


def _frame_settings(described: dict) -> list[dict]:
    """The setting (control name -> value) of each frame of a manifest, as explorer.js reads it."""
    return [{c["name"]: [c["values"][i] for i in index] if isinstance(index, list) else c["values"][index]
             for c, index in zip(described["controls"], frame)} for frame in described["frames"]]


def test_the_manifest_describes_controls_and_frames():
    explorer = _explorer()
    described = manifest(explorer)
    kinds = {c["name"]: c["kind"] for c in described["controls"]}
    assert kinds == {"depth": "slider", "residual": "checkbox", "norm": "select", "deleted": "multi",
                     "scale": "slider"}
    depth = described["controls"][0]
    assert depth["values"] == [1, 3, 5] and depth["labels"] == ["1", "3", "5"]
    norm = described["controls"][2]
    assert norm["values"] == ["none", "layer", "rms"] and norm["labels"] == ["no norm", "LayerNorm", "RMSNorm"]
    assert described["controls"][1]["labels"] == ["off", "on"]
    assert described["controls"][3]["values"] == [0, 1]
    assert described["controls"][4]["labels"] == ["0.01", "1", "100"]
    assert len(described["frames"]) == len(explorer.site_settings())
    # every frame's indices lead back to its setting
    settings = [dict(s, deleted=list(s["deleted"])) for s in explorer.site_settings()]
    assert _frame_settings(described) == settings
    assert set(described["text"]) == {"adjusted", "unavailable", "figure"}
    json.dumps(described)  # JSON data only


def test_the_manifest_speaks_the_edition_language():
    i18n.set_language("zh")
    try:
        described = manifest(_explorer())
    finally:
        i18n.set_language("en")
    assert described["controls"][1]["labels"] == ["关", "开"]
    assert "notebook" in described["text"]["unavailable"] and "预先算好" in described["text"]["unavailable"]


def test_a_control_the_page_cannot_show_is_refused():
    explorer = Explorer(_draw, {"depth": widgets.BoundedIntText(value=3, min=1, max=5)})
    with pytest.raises(TypeError, match="BoundedIntText"):
        manifest(explorer)


def test_render_frames_writes_one_palette_png_per_setting(tmp_path, monkeypatch):
    explorer = _explorer()
    monkeypatch.setattr(explorer_frames, "rebuild", lambda recipe: explorer)
    described = render_frames({"factory": "resnorm.x:y", "kwargs": {}}, tmp_path, lang="en")
    settings = explorer.site_settings()
    files = sorted(tmp_path.glob("frame-*.png"))
    assert len(files) == len(settings) == len(described["frames"])
    assert described["bytes"] == sum(f.stat().st_size for f in files)
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["frames"] == described["frames"]
    for i in (0, 7):
        frame = PIL.Image.open(tmp_path / f"frame-{i}.png")
        assert frame.mode == "P"
        # the frame is the figure of its setting (up to the 256-colour palette)
        expected = explorer.render_rgba(**settings[i])[..., :3].astype(int)
        assert np.abs(np.asarray(frame.convert("RGB")).astype(int) - expected).mean() < 2
    assert (np.asarray(PIL.Image.open(files[0]).convert("RGB")) !=
            np.asarray(PIL.Image.open(tmp_path / "frame-1.png").convert("RGB"))).any()


def test_render_for_editions_needs_a_folder():
    with pytest.raises(ValueError, match="folders"):
        render_for_editions({"factory": "resnorm.x:y", "kwargs": {}}, {})


@explorer_factory
def _toy_factory(depth=3, seeds=range(2)):
    return Explorer(_draw, {"depth": widgets.IntSlider(value=depth, min=1, max=8)}, figsize=(3, 2))


def test_a_factory_records_its_recipe_and_the_widget_stores_it():
    explorer = _toy_factory(seeds=(4, 5))
    assert explorer.recipe == {"factory": f"{__name__}:_toy_factory", "kwargs": {"depth": 3, "seeds": [4, 5]}}
    bundle = explorer._repr_mimebundle_()
    assert bundle[RECIPE_MIMETYPE] == explorer.recipe
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert RECIPE_MIMETYPE not in Explorer(_draw, _controls())._repr_mimebundle_()
    assert _toy_factory(seeds=object()).recipe is None  # not JSON data: no recipe, no frames on the site


def test_rebuild_builds_the_same_explorer_again():
    from resnorm.figures.beyond_the_interview import make_lesion_explorer

    explorer = make_lesion_explorer(seeds=range(2))
    again = rebuild(json.loads(json.dumps(explorer.recipe)))
    assert again.recipe == explorer.recipe
    assert again.site_settings() == explorer.site_settings()
    assert (again.render_rgba(deleted=(1,)) == explorer.render_rgba(deleted=(1,))).all()


@pytest.mark.parametrize("recipe, words", [
    ({"factory": "resnorm.figures.pros_and_cons:make_cost_explorer"}, ["factory and kwargs"]),
    ("make_cost_explorer", ["factory and kwargs"]),
    ({"factory": "os:system", "kwargs": {}}, ["'module:name'", "'os:system'"]),
    ({"factory": "resnorm.figures.pros_and_cons", "kwargs": {}}, ["'module:name'"]),
])
def test_rebuild_refuses_a_bad_recipe(recipe, words):
    with pytest.raises(ValueError) as raised:
        rebuild(recipe)
    for word in words:
        assert word in str(raised.value)


def test_the_course_explorers_have_site_grids_the_page_can_show():
    """Every explorer of the notebooks records a recipe and a site grid of at most 80 frames."""
    from resnorm.figures import (beyond_the_interview, layer_normalization, pros_and_cons, residual_connections,
                                 transformer_residual_layernorm)

    for make in (residual_connections.make_gradient_explorer, layer_normalization.make_layernorm_explorer,
                 transformer_residual_layernorm.make_placement_explorer, pros_and_cons.make_cost_explorer,
                 beyond_the_interview.make_lesion_explorer):
        explorer = make()
        assert explorer.recipe["factory"].endswith(f":{make.__name__}")
        described = manifest(explorer)
        assert 20 <= len(described["frames"]) <= 80, make.__name__
        for control in described["controls"]:
            assert len(control["values"]) >= 2, (make.__name__, control["name"])


def test_a_frame_that_fails_is_tried_once_more_then_fails_the_build(tmp_path, monkeypatch, capsys):
    calls = []

    def flaky(fig, depth=3):
        calls.append(depth)
        if depth == 5 and (calls.count(5) == 1 or flaky.always):
            raise ValueError("timing disturbed")
        fig.add_subplot().plot(range(depth))

    recipe = {"factory": "resnorm.x:y", "kwargs": {}}
    explorer = Explorer(flaky, {"depth": widgets.IntSlider(value=3, min=1, max=8)}, tight_bbox=False,
                        figsize=(3, 2), site_grid=[{"depth": [3, 5]}])
    monkeypatch.setattr(explorer_frames, "rebuild", lambda recipe: explorer)
    flaky.always = False
    assert len(render_frames(recipe, tmp_path / "a", lang="en")["frames"]) == 2
    assert "trying once more" in capsys.readouterr().err
    flaky.always = True
    with pytest.raises(RuntimeError, match=r"resnorm.x:y cannot draw the site setting \{'depth': 5\}"):
        render_frames(recipe, tmp_path / "b", lang="en")
