"""Build the course's website into build/site/ (``make site``): both editions and a landing page.

build/site/index.html      the landing page (site/landing.html), linking both editions
build/site/en/             the English edition: Sphinx + myst-nb + sphinx-book-theme
build/site/zh/             the Chinese edition (中文版), its own navigation and search
build/site/_vendor/        MathJax, copied from its installed package (site/vendor.lock.json)
build/site/<edition>/_explorers/   each explorer's frames (site/explorers.py, static/explorer.js)

Each edition is one Sphinx build of the notebooks' stored outputs (nothing is executed) from a
staging folder, build/site-src/<edition>/, which holds the edition's home page
(site/<edition>/index.md) and a copy of its notebooks; nothing generated lives in the
repository. The two builds run side by side. Nothing is downloaded, and the built folder asks no
other host for anything, so it can be copied to any static host or opened from a laptop.

Usage: python site/build.py [--out build/site]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # site/explorers.py

import explorers  # noqa: E402

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
# Edition -> folder of its notebooks, relative to the repository (as resnorm_lab.EDITIONS).
EDITIONS = {"en": "notebooks", "zh": "notebooks/zh"}


def notebooks(edition: str) -> list[Path]:
    """The notebooks of ``edition``, in order."""
    return sorted((ROOT / EDITIONS[edition]).glob(NOTEBOOK_GLOB))


def _sync_file(source: Path, target: Path) -> None:
    """Copy ``source`` unless ``target`` has its size and age (so Sphinx rebuilds only what changed)."""
    stat = source.stat()
    if target.is_file():
        have = target.stat()
        if have.st_size == stat.st_size and int(have.st_mtime) == int(stat.st_mtime):
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def stage(edition: str, work: Path, fingerprint: str) -> tuple[Path, dict[str, str]]:
    """Fill <work>/<edition>/src/ with the edition's home page and notebooks, each explorer
    replaced by the placeholder of its frames (site/explorers.py); return the folder and the
    frame keys of the edition's explorers (key -> recipe as JSON)."""
    src = work / edition / "src"
    _sync_file(HERE / edition / "index.md", src / "index.md")
    wanted = {src / "index.md"}
    frames = {}
    for notebook in notebooks(edition):
        target = src / notebook.name
        frames.update(explorers.stage_notebook(notebook, target, edition, fingerprint))
        wanted.add(target)
    for stale in set(src.iterdir()) - wanted:  # a notebook renamed or removed
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    return src, frames


def vendor_mathjax(out: Path) -> str:
    """Copy MathJax from the installed jupyter-server-mathjax into out/_vendor/mathjax; its version."""
    lock = json.loads((HERE / "vendor.lock.json").read_text(encoding="utf-8"))["mathjax"]
    # find_spec, not import: importing jupyter_server_mathjax imports all of jupyter_server.
    spec = importlib.util.find_spec("jupyter_server_mathjax")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("site: jupyter-server-mathjax is not installed (make install)")
    source = Path(list(spec.submodule_search_locations)[0]) / "static"
    found = re.search(r'MathJax\.version\s*=\s*"([^"]+)"', (source / "MathJax.js").read_text(encoding="utf-8"))
    version = found.group(1) if found else "unknown"
    if version != lock["version"]:
        sys.exit(f"site: the installed jupyter-server-mathjax ships MathJax {version}; site/vendor.lock.json "
                 f"records {lock['version']}. Install the pinned one (make install) or update the lock file.")
    target = out / "_vendor" / "mathjax"
    for file in source.rglob("*"):
        if file.is_file():
            _sync_file(file, target / file.relative_to(source))
    return version


def sphinx_command(src: Path) -> list[str]:
    """Sphinx for the staged sources in <work>/<edition>/src: HTML into html/, caches beside it.

    (myst-nb writes the notebooks' figures into the folder next to Sphinx's output folder,
    jupyter_execute/, before Sphinx copies them into _images/: so each edition builds in its own
    work folder and its HTML is copied into place afterwards.)
    """
    return [sys.executable, "-m", "sphinx", "build", "-b", "html", "-q", "-c", str(HERE),
            "-d", str(src.parent / "doctrees"), str(src), str(src.parent / "html")]


def landing_page(out: Path) -> None:
    """build/site/index.html from site/landing.html (static HTML, no script), and .nojekyll."""
    shutil.copyfile(HERE / "landing.html", out / "index.html")
    # GitHub Pages would otherwise run Jekyll, which drops the folders whose names start with _
    (out / ".nojekyll").touch()


def size_of(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="output folder (build/site)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    work = out.parent / f"{out.name}-src"  # staging and Sphinx's caches, next to the output
    cache = work / "frames"
    start = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    mathjax = vendor_mathjax(out)
    fingerprint = explorers.package_fingerprint()
    builds, frames, jobs = {}, {}, {}
    for edition in EDITIONS:
        src, frames[edition] = stage(edition, work, fingerprint)
        for key, recipe in frames[edition].items():
            jobs.setdefault(recipe, {})[edition] = key
        env = dict(os.environ, RESNORM_SITE_EDITION=edition)
        builds[edition] = subprocess.Popen(sphinx_command(src), env=env)
    # The explorers' frames are rendered while Sphinx builds the pages (they only hold placeholders).
    try:
        manifests = explorers.render(jobs, cache)
    finally:
        failed = [edition for edition, process in builds.items() if process.wait() != 0]
    if failed:
        print(f"site: the Sphinx build of {', '.join(failed)} failed (its messages are above)", file=sys.stderr)
        return 1
    for edition in EDITIONS:
        shutil.rmtree(out / edition, ignore_errors=True)
        shutil.copytree(work / edition / "html", out / edition, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
        explorers.publish(frames[edition], cache, out / edition)
        for notebook in notebooks(edition):  # the download button's file: the notebook as committed,
            shutil.copy2(notebook, out / edition / "_sources" / notebook.name)  # with its live explorers
    explorers.prune(cache, manifests)
    landing_page(out)
    print(f"site: built {out} in {time.monotonic() - start:.1f} s, {size_of(out) / 1e6:.1f} MB "
          f"(MathJax {mathjax}); open {out / 'index.html'}")
    for edition in EDITIONS:
        for key in sorted(frames[edition]):
            shown = manifests[key]
            print(f"site: {edition} explorer {json.loads(frames[edition][key])['factory'].split(':')[1]}: "
                  f"{len(shown['frames'])} frames, {shown['bytes'] / 1e6:.2f} MB, rendered in {shown['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
