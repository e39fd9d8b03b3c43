"""The explorers on the website: frames precomputed at build time, swapped in the page by a script.

A notebook stores each explorer with its recipe (``resnorm.widgets.RECIPE_MIMETYPE``: the
factory that made it and its arguments). For every recipe of an edition, :func:`render` runs
``resnorm.explorer_frames.render_for_editions`` in a worker process: the explorer is built again
in the edition's language and its figure drawn for each setting of its site grid, with the same
drawing code as in JupyterLab. :func:`stage_notebook` replaces the stored widget by a placeholder,
``<div class="resnorm-frames" data-frames="_explorers/<key>/">``, which static/explorer.js fills
with controls and the frames. Without JavaScript the placeholder shows the first frame and says
that the controls need JavaScript; if the frames are missing, the script says that instead.

A frame folder's key hashes the recipe, the edition and the source of the resnorm package, so a
folder is rendered again exactly when something it depends on changed; the folders are kept in
the build's staging area between builds. ``manifest.js`` (the manifest as a script, which a page
opened from a file may load where it may not fetch JSON) goes next to the frames.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import io
import json
import multiprocessing
import shutil
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "resnorm"
RECIPE_MIMETYPE = "application/vnd.resnorm.explorer+json"  # resnorm.widgets.RECIPE_MIMETYPE (a test checks)
FRAMES_FOLDER = "_explorers"  # in each edition's output, next to its pages
WORKERS = 2

# What a placeholder says where the script cannot show the explorer, in each edition's language.
PLACEHOLDER_TEXT = {
    "en": {"noscript": "The controls of this explorer need JavaScript. Shown: its first precomputed setting.",
           "first_frame": "Explorer figure at its first precomputed setting",
           "missing": "The frames of this explorer are missing from the site: build it again with make site."},
    "zh": {"noscript": "这个交互图的控件需要 JavaScript。下图是它预先算好的第一个设置。",
           "first_frame": "交互图，预先算好的第一个设置",
           "missing": "网站缺少这个交互图的帧：请用 make site 重新构建。"},
}


def package_fingerprint() -> str:
    digest = hashlib.sha256()
    for file in sorted(PACKAGE.rglob("*.py")):
        digest.update(file.relative_to(PACKAGE).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def frame_key(recipe: dict, edition: str, fingerprint: str) -> str:
    """The name of the folder of ``recipe``'s frames in ``edition``."""
    text = json.dumps([recipe, edition, fingerprint], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def placeholder(key: str, edition: str) -> dict:
    """The output that replaces an explorer's stored widget on the site (``edition``: en or zh)."""
    text = PLACEHOLDER_TEXT[edition]
    folder = f"{FRAMES_FOLDER}/{key}/"
    html = (f'<div class="resnorm-frames" data-frames="{folder}" data-missing="{text["missing"]}">'
            f'<noscript><img class="resnorm-frame" src="{folder}frame-0.png" alt="{text["first_frame"]}">'
            f'<p class="resnorm-frames-note">{text["noscript"]}</p></noscript></div>\n')
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": html}}


def stage_notebook(source: Path, target: Path, edition: str, fingerprint: str) -> dict[str, str]:
    """Copy the notebook ``source`` to ``target`` with its explorers as placeholders; return
    their frame keys, each with its recipe as sorted JSON.

    ``target`` is written only when its content changes, so Sphinx rebuilds only what changed.
    """
    notebook = json.loads(source.read_text(encoding="utf-8"))
    keys = {}
    for cell in notebook.get("cells", []):
        for i, output in enumerate(cell.get("outputs", [])):
            recipe = output.get("data", {}).get(RECIPE_MIMETYPE)
            if recipe is not None:
                key = frame_key(recipe, edition, fingerprint)
                cell["outputs"][i] = placeholder(key, edition)
                keys[key] = json.dumps(recipe, sort_keys=True)
    text = json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return keys


def _manifest_script(key: str, folder: Path) -> None:
    manifest = (folder / "manifest.json").read_text(encoding="utf-8")
    (folder / "manifest.js").write_text(
        f"(window.resnormFrames = window.resnormFrames || {{}})[{json.dumps(key)}] = {manifest};\n", encoding="utf-8")


def _render_for_editions(recipe: dict, folders: dict[str, Path]) -> dict:
    # imported in the worker: the build's own process never loads PyTorch
    from resnorm.explorer_frames import render_for_editions

    # (an explorer shows its first figure as it is built: outside a notebook, a line of text)
    with contextlib.redirect_stdout(io.StringIO()):
        return render_for_editions(recipe, folders)


def render(jobs: dict[str, dict[str, str]], cache: Path) -> dict[str, dict]:
    """Render the frames of every recipe not yet in ``cache``; the manifest of every key.

    ``jobs`` maps a recipe (as sorted JSON) to ``{edition: key}``. Each recipe is one task for
    a pool of :data:`WORKERS` processes, which renders its editions one after the other (the
    explorer's cached experiments are then run once). A folder is renamed into place only when
    complete, so an interrupted build never publishes a partial one (``prune`` removes it later).
    """
    todo = {recipe: keys for recipe, keys in jobs.items()
            if not all((cache / key / "manifest.js").is_file() for key in keys.values())}
    if todo:
        context = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
        with concurrent.futures.ProcessPoolExecutor(min(WORKERS, len(todo)), mp_context=context) as pool:
            futures = {}
            for recipe, keys in todo.items():
                folders = {edition: cache / f"{key}.partial" for edition, key in keys.items()}
                for folder in folders.values():
                    shutil.rmtree(folder, ignore_errors=True)
                futures[pool.submit(_render_for_editions, json.loads(recipe), folders)] = keys
            for future in concurrent.futures.as_completed(futures):
                future.result()  # a failed explorer fails the build, with its traceback
                for key in futures[future].values():
                    shutil.rmtree(cache / key, ignore_errors=True)
                    (cache / f"{key}.partial").rename(cache / key)
                    _manifest_script(key, cache / key)
    return {key: json.loads((cache / key / "manifest.json").read_text(encoding="utf-8"))
            for keys in jobs.values() for key in keys.values()}


def publish(keys: Iterable[str], cache: Path, edition_out: Path) -> None:
    """Copy the frame folders ``keys`` from ``cache`` into the edition's output folder."""
    target = edition_out / FRAMES_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    for key in sorted(keys):
        shutil.copytree(cache / key, target / key, ignore=shutil.ignore_patterns("manifest.json"))


def prune(cache: Path, keep: Iterable[str]) -> None:
    """Remove the frame folders of ``cache`` that no notebook uses any more."""
    keep = set(keep)
    if cache.is_dir():
        for folder in cache.iterdir():
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
