"""The repository keeps its promises: twins in sync, executed notebooks, one package list."""

import re
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Both editions: English in notebooks/, Chinese (same names) in notebooks/zh/.
NOTEBOOKS = [p for folder in ("notebooks", "notebooks/zh") for p in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb"))]
TWINS = [p for folder in ("notebooks", "notebooks/zh") for p in sorted((ROOT / folder).glob("[0-9][0-9]_*.py"))]
CONDA_NAMES = {"torch": "pytorch-cpu", "playwright": "playwright-python"}


def test_every_notebook_has_a_twin_and_back():
    assert NOTEBOOKS, "no notebooks found"
    assert [p.with_suffix("") for p in NOTEBOOKS] == [p.with_suffix("") for p in TWINS]


def _id(path):
    return path.relative_to(ROOT / "notebooks").with_suffix("").as_posix()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=_id)
def test_py_twin_is_in_sync(notebook):
    expected = jupytext.writes(jupytext.read(notebook), fmt="py:percent")
    actual = notebook.with_suffix(".py").read_text()
    assert actual == expected, (
        f"{notebook.name} and its .py twin differ: run `make sync` (or `make notebooks` to re-execute)"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=_id)
def test_notebook_was_executed_top_to_bottom(notebook):
    nb = nbformat.read(notebook, as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{notebook.name} was not executed top to bottom in one fresh kernel: run `make notebooks`"
    )
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{notebook.name} stores an error output"


def _requirement_names(requirements):
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def _conda_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    return env, [d for d in env["dependencies"] if isinstance(d, str)]


def test_binder_environment_is_the_runtime_set_of_pyproject():
    """environment.yml lists what a student runs (dependencies + the lab extra), no test tools."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    runtime = _requirement_names(project["dependencies"] + extras["lab"])
    test_only = _requirement_names(extras["test"]) - runtime
    env, conda = _conda_requirements()
    # packages that conda-forge does not have go in environment.yml's pip section
    pip = [r for d in env["dependencies"] if isinstance(d, dict) for r in d.get("pip", [])]
    names = _requirement_names(conda + pip) - {"python", "pip"}
    assert names == {CONDA_NAMES.get(name, name) for name in runtime}
    assert not names & {CONDA_NAMES.get(name, name) for name in test_only}, "Binder installs test tools"
    assert "conda-forge" in env["channels"]
    assert any(re.fullmatch(r"python=3\.\d+", d) for d in conda)


def test_binder_versions_are_the_ones_ci_tested():
    """Each Binder package is pinned to the major.minor version that constraints.txt records."""
    tested = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
            tested[CONDA_NAMES.get(name.lower().replace("_", "-"), name.lower().replace("_", "-"))] = version
    _, conda = _conda_requirements()
    for requirement in conda:
        name, _, version = requirement.partition("=")
        if name in ("python", "pip"):
            continue
        assert name in tested, f"environment.yml: {name} is not in constraints.txt"
        major_minor = ".".join(tested[name].split(".")[:2])
        assert version == major_minor, (
            f"environment.yml pins {requirement}; CI tested {name} {tested[name]}: use {name}={major_minor}")


def test_constraints_pin_the_cpu_torch_that_installs_here():
    constraints = (ROOT / "constraints.txt").read_text().splitlines()
    assert "torch==2.13.0" in constraints


def test_readme_binder_links_open_existing_notebooks():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=lab/tree/([\w./-]+)", readme)
    assert links, "README has no Binder link"
    for target in links:
        assert (ROOT / target).exists(), f"Binder link points at missing {target}"
    assert "notebooks/00_start_here.ipynb" in links


def _binder_targets(text: str) -> list[str]:
    """The notebook each Binder link of ``text`` opens: ``lab/tree/<path>`` or the course's
    ``resnorm/edition/<edition>[/<notebook>]`` page (src/resnorm_lab)."""
    from resnorm_lab import notebook_path

    targets = []
    for urlpath in re.findall(r"mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=([\w./%-]+)", text):
        edition = re.fullmatch(r"resnorm/edition/(en|zh)(?:/([0-9]{2}_[a-z_]+))?", urlpath)
        targets.append(notebook_path(*edition.groups()) if edition else urlpath.removeprefix("lab/tree/"))
    return targets


def test_chinese_readme_links_both_ways_and_its_binder_links_open_chinese_notebooks():
    readme_zh = (ROOT / "README.zh-CN.md").read_text()
    assert "](README.zh-CN.md)" in (ROOT / "README.md").read_text().splitlines()[0]
    assert "](README.md)" in readme_zh.splitlines()[0]
    targets = _binder_targets(readme_zh)
    assert targets, "README.zh-CN.md has no Binder link"
    # through resnorm_lab's page, which also sets JupyterLab's interface to Chinese
    urlpaths = re.findall(r"mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=([\w./%-]+)", readme_zh)
    assert all(u.startswith("resnorm/edition/zh") for u in urlpaths), urlpaths
    assert "resnorm/edition/zh" in urlpaths, "README.zh-CN.md has no Binder link to the start of the Chinese edition"
    for target in targets:
        assert target.startswith("notebooks/zh/"), f"README.zh-CN.md's Binder link opens {target}, not a Chinese notebook"
        assert (ROOT / target).exists(), f"README.zh-CN.md's Binder link points at missing {target}"
    for target in re.findall(r"\]\(((?!https?:|#)[^)\s]+)\)", readme_zh):
        assert (ROOT / target.split("#")[0]).exists(), f"README.zh-CN.md links to missing {target}"


def test_readme_run_times_are_the_benchmarked_ones():
    """`make bench` writes bench/results.json and the README's run-time column; they must agree."""
    import json

    results = json.loads((ROOT / "bench" / "results.json").read_text())["notebooks"]
    for notebook in NOTEBOOKS:
        name = _id(notebook)
        readme_path = ROOT / ("README.zh-CN.md" if name.startswith("zh/") else "README.md")
        readme = readme_path.read_text()
        row = re.search(rf"^\|.*\(notebooks/{name}\.ipynb\).*\| (\S+) s \|$", readme, re.M)
        assert row, f"{readme_path.name}'s notebook table has no run time for {name}: run `make bench`"
        assert name in results, f"bench/results.json has no entry for {name}: run `make bench`"
        assert row.group(1) == f"{results[name]['seconds']:.0f}", (
            f"{readme_path.name} says {row.group(1)} s for {name}, bench/results.json "
            f"{results[name]['seconds']} s: run `make bench`"
        )
