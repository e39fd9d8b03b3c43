"""`resnorm figures` / `resnorm slides`: every figure in every format, bare notebook names, one-line
errors for bad input, `--version`, and the console script itself."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

import resnorm
from resnorm import cli
from resnorm.export import FORMATS, export_figures
from resnorm.figures import LectureFigure, all_figures


def _line(fig, slope=1.0):
    fig.add_subplot().plot([0, 1, 2], [0, slope, 2 * slope])


def _broken(fig):
    raise RuntimeError("the experiment diverged")


FAKE = {
    "alpha": LectureFigure("alpha", "98_fake", "Alpha", _line),
    "beta": LectureFigure("beta", "99_fake", "Beta", lambda fig: _line(fig, 2.0)),
}


def _run(argv, figures=FAKE):
    return cli.main(argv, figures=figures)


def _usage_error(capsys, argv, figures=FAKE):
    with pytest.raises(SystemExit) as exit_info:
        _run(argv, figures)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("usage: resnorm"), err
    assert err[-1].startswith("resnorm "), err
    return err[-1]


def test_writes_every_figure_as_png_and_svg(tmp_path, capsys):
    assert _run(["figures", "--out", str(tmp_path / "figs")]) == 0
    for fig in FAKE.values():
        png = tmp_path / "figs" / fig.notebook / f"{fig.name}.png"
        svg = tmp_path / "figs" / fig.notebook / f"{fig.name}.svg"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in svg.read_bytes()[:2000]
    assert "wrote 4 files (2 figures, png svg)" in capsys.readouterr().out


def test_only_and_format_select(tmp_path):
    assert _run(["figures", "--out", str(tmp_path), "--only", "beta", "--format", "svg", "pdf"]) == 0
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["99_fake/beta.pdf", "99_fake/beta.svg"]


def test_lang_draws_the_chinese_edition_and_is_checked(tmp_path, capsys):
    import resnorm

    assert _run(["figures", "--out", str(tmp_path), "--only", "beta", "--format", "svg", "--lang", "zh"]) == 0
    assert resnorm.language() == "en", "the export must leave the language as it found it"
    with pytest.raises(SystemExit) as exit_info:
        _run(["figures", "--out", str(tmp_path), "--lang", "fr"])
    assert exit_info.value.code == 2
    assert "argument --lang: invalid choice: 'fr'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="lang must be one of 'en', 'zh'; got 'de'"):
        export_figures(FAKE, tmp_path, ["svg"], lang="de")


def test_progress_bar_counts_figures(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RESNORM_PROGRESS", "1")
    _run(["figures", "--out", str(tmp_path)])
    assert "lecture figures: 2/2" in capsys.readouterr().err


def test_same_figure_same_svg_bytes(tmp_path):
    first = export_figures(FAKE, tmp_path / "a", ["svg"])
    second = export_figures(FAKE, tmp_path / "b", ["svg"])
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_unknown_figure_name_is_a_usage_error(tmp_path, capsys):
    out = tmp_path / "never"
    message = _usage_error(capsys, ["figures", "--out", str(out), "--only", "alpha", "gamma"])
    assert message == ("resnorm figures: error: argument --only: invalid choice: 'gamma' "
                       "(choose from 'alpha', 'beta')")
    assert not out.exists()


def test_unknown_format_is_a_usage_error(tmp_path, capsys):
    message = _usage_error(capsys, ["figures", "--out", str(tmp_path), "--format", "gif"])
    assert "argument --format: invalid choice: 'gif'" in message
    for fmt in FORMATS:
        assert repr(fmt) in message


def test_out_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "figures.png"
    target.write_bytes(b"not a folder")
    message = _usage_error(capsys, ["figures", "--out", str(target)])
    assert message.endswith(f"argument --out: {str(target)!r} is a file, not a folder")


def test_out_below_a_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "figures.png"
    target.write_bytes(b"not a folder")
    message = _usage_error(capsys, ["figures", "--out", str(target / "sub")])
    assert "argument --out: cannot create folder" in message


def test_out_not_writable_is_a_usage_error(tmp_path, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli.tempfile, "TemporaryFile", refuse)
    message = _usage_error(capsys, ["figures", "--out", str(tmp_path)])
    assert message.endswith(f"argument --out: folder {str(tmp_path)!r} is not writable: Permission denied")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root may write into a read-only folder")
def test_read_only_folder_is_a_usage_error(tmp_path, capsys):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert "is not writable" in _usage_error(capsys, ["figures", "--out", str(folder)])
    finally:
        folder.chmod(0o700)


def test_out_is_required(capsys):
    assert "the following arguments are required: --out" in _usage_error(capsys, ["figures"])


def test_a_figure_that_fails_is_named(tmp_path, capsys):
    figures = {"bad": LectureFigure("bad", "97_fake", "Bad", _broken)}
    assert _run(["figures", "--out", str(tmp_path)], figures) == 1
    assert ("figure 'bad' of 97_fake failed to draw: RuntimeError: the experiment diverged"
            in capsys.readouterr().err)


def test_help_lists_every_registered_figure(capsys):
    registry = all_figures()
    assert registry, "no lecture figures registered"
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["figures", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name, fig in registry.items():
        assert name in out and fig.notebook in out


def test_help_groups_figures_by_notebook(capsys):
    with pytest.raises(SystemExit):
        cli.main(["figures", "--help"], figures=FAKE)
    out = capsys.readouterr().out
    listing = out[out.index("figures, by notebook:"):].splitlines()
    assert [line.strip() for line in listing[1:5]] == ["98_fake", "alpha  Alpha", "99_fake", "beta   Beta"]


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"resnorm {resnorm.__version__}"


def test_console_script_is_installed_beside_python():
    script = Path(sys.executable).with_name("resnorm")
    assert script.is_file(), "no `resnorm` console script: reinstall (make install)"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("resnorm ")


def test_slides_takes_a_bare_notebook_name(tmp_path, monkeypatch, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = new_notebook(cells=[new_markdown_cell("# Title", metadata={"slideshow": {"slide_type": "slide"}})])
    nbformat.write(nb, notebooks / "07_demo.ipynb")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RESNORM_PROGRESS", "0")
    assert _run(["slides", "--out", "decks", "07_demo"]) == 0
    assert (tmp_path / "decks" / "07_demo.slides.html").is_file()
    message = _usage_error(capsys, ["slides", "--out", "decks", "08_missing"])
    assert "argument NOTEBOOK: '08_missing' is neither" in message


def test_module_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "resnorm", "figures", "--help"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "--only NAME" in done.stdout and "figures, by notebook:" in done.stdout


def test_a_real_lecture_figure_renders(tmp_path):
    registry = all_figures()
    starters = [f for f in registry.values() if f.notebook == "00_start_here"]
    first = (starters or list(registry.values()))[0]
    (path,) = export_figures([first], tmp_path, ["png"])
    assert path.stat().st_size > 10_000


def test_slides_command_rejects_a_missing_notebook(tmp_path, capsys):
    message = _usage_error(capsys, ["slides", "--out", str(tmp_path), str(tmp_path / "missing.ipynb")])
    assert "argument NOTEBOOK:" in message and "missing.ipynb" in message
