"""An explorer without a kernel: its figure precomputed for every setting of its site grid.

The website has no Python behind it. For each explorer a notebook stores, the site calls
:func:`render_frames` with the explorer's recipe (see :func:`resnorm.widgets.explorer_factory`):
it builds the explorer again, in the edition's language, and saves
:meth:`~resnorm.widgets.Explorer.render_png` of each setting of
:meth:`~resnorm.widgets.Explorer.site_settings` as ``frame-<i>.png``, with a ``manifest.json`` that
a small script in the page reads to swap frames as the reader moves a control.

The manifest (JSON)::

    {"controls": [{"name": "depth", "label": "depth", "kind": "slider",
                   "labels": ["2", "10", "30"], "values": [2, 10, 30]}, ...],
     "frames": [[1, 0, 2], ...],      # frame i: for each control, the index of its value
     "text": {...}}                   # the page's messages, in the edition's language

A control's ``kind`` is ``slider``, ``select``, ``checkbox`` or ``multi`` (a multiple choice,
whose index in a frame is the sorted list of the chosen options). Frames are 8-bit palette
PNGs: a figure has few colours, and the palette makes a frame about three times smaller.
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import PIL.Image

from .i18n import N_, tr
from .session import seed_everything, seed_shift, setup
from .widgets import SINGLE_CHOICE, SLIDERS, Explorer, rebuild

MANIFEST = "manifest.json"

# What the page says when a setting is not among the frames (filled in by the page's script).
PAGE_TEXT = {
    "adjusted": N_("Precomputed settings only: {names} moved to match. The notebook computes every setting."),
    "unavailable": N_("This setting is not precomputed on this page. The notebook computes every setting."),
    "figure": N_("Explorer figure for {setting}"),
}


def _value_labels(control: widgets.ValueWidget, values: list) -> list[str]:
    if isinstance(control, SLIDERS):
        return [format(value, control.readout_format) for value in values]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [tr("on") if value else tr("off") for value in values]
    labels = dict(zip(control._options_values, control._options_labels))
    return [labels[value] for value in values]


def _kind(control: widgets.ValueWidget) -> str:
    if isinstance(control, widgets.SelectMultiple):
        return "multi"
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return "checkbox"
    if isinstance(control, (widgets.SelectionSlider, *SLIDERS)):
        return "slider"
    if isinstance(control, SINGLE_CHOICE):
        return "select"
    raise TypeError(tr("an explorer on the website cannot show a control of type {kind}",
                       kind=type(control).__name__))


def manifest(explorer: Explorer) -> dict:
    """The manifest of ``explorer``'s frames (see the module's docstring); nothing is drawn."""
    settings = explorer.site_settings()
    controls, indices = [], {}
    for name, control in explorer.controls.items():
        kind = _kind(control)
        used = [setting[name] for setting in settings]
        if kind == "multi":
            values = list(control._options_values)
        elif kind == "checkbox" or isinstance(control, SLIDERS):
            values = sorted(set(used))
        else:
            values = [value for value in control._options_values if value in used]
        indices[name] = {value: i for i, value in enumerate(values)}
        controls.append({"name": name, "label": control.description or name, "kind": kind,
                         "labels": _value_labels(control, values), "values": values})
    frames = []
    for setting in settings:
        frame = []
        for name, value in setting.items():
            position = indices[name]
            frame.append(sorted(position[v] for v in value) if isinstance(value, tuple) else position[value])
        frames.append(frame)
    return {"controls": controls, "frames": frames, "text": {key: tr(text) for key, text in PAGE_TEXT.items()}}


def _palette_png(rgba: np.ndarray) -> bytes:
    """The pixels ``rgba`` (height, width, 4) as an 8-bit palette PNG (256 colours, no dithering)."""
    image = PIL.Image.fromarray(rgba, "RGBA").convert("RGB")
    palette = image.quantize(colors=256, method=PIL.Image.Quantize.FASTOCTREE, dither=PIL.Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png")
    return out.getvalue()


def _render(explorer: Explorer, setting: dict, recipe: Mapping) -> np.ndarray:
    """One frame's pixels, from freshly seeded generators (a frame does not depend on the ones
    drawn before it); a setting that fails is tried once more (the cost explorer times passes, and
    a disturbed timing is not the setting's fault), then fails the build with its name."""
    for attempt in (1, 2):
        seed_everything(seed_shift())
        try:
            return explorer.render_rgba(**setting)
        except (ValueError, TypeError) as error:
            if attempt == 2:
                raise RuntimeError(f"{recipe['factory']} cannot draw the site setting {setting}: {error}") from error
            print(f"{recipe['factory']}: drawing {setting} failed ({error}); trying once more", file=sys.stderr)


def render_frames(recipe: Mapping, folder: Path | str, *, lang: str) -> dict:
    """Build the explorer of ``recipe`` in language ``lang`` and write its frames and manifest into ``folder``.

    Returns the manifest, plus ``"seconds"`` (the time taken) and ``"bytes"`` (the frames' total size).
    Seeds and threads are set as in a notebook (:func:`resnorm.setup`), so the frames are the
    notebook's figures.
    """
    folder = Path(folder)
    start = time.perf_counter()
    setup(seed=0, lang=lang)
    explorer = rebuild(recipe)
    described = manifest(explorer)
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for i, setting in enumerate(explorer.site_settings()):
        frame = _palette_png(_render(explorer, setting, recipe))
        (folder / f"frame-{i}.png").write_bytes(frame)
        size += len(frame)
    described.update(seconds=round(time.perf_counter() - start, 2), bytes=size)
    (folder / MANIFEST).write_text(json.dumps(described, ensure_ascii=False), encoding="utf-8")
    return described


def render_for_editions(recipe: Mapping, folders: Mapping[str, Path | str]) -> dict[str, dict]:
    """:func:`render_frames` of one ``recipe`` for each language of ``folders`` (language -> folder),
    one after the other in this process, so that an experiment the explorer caches is run once."""
    if not isinstance(folders, Mapping) or not folders:
        raise ValueError(tr("folders must map at least one language to a folder; got {folders!r}", folders=folders))
    return {lang: render_frames(recipe, folder, lang=lang) for lang, folder in folders.items()}

