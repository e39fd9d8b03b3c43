"""`make bench`: the course's speed and memory, measured the way its users feel them.

- notebooks: wall time of a fresh-kernel, top-to-bottom run of each notebook of both editions
  (``01_...`` English, ``zh/01_...`` Chinese; kernel start included) and the peak resident memory
  of its kernel (VmHWM); the whole-course budget holds for each edition;
- widget_update_ms: per explorer, the median time from a control change to a redrawn figure
  rendered to PNG (the explorer renders it itself), over at least 10 changes;
- grad_norm_overhead: median time of forward+backward+per_layer_grad_norms over the median time
  of forward+backward alone, on the start notebook's 30-layer MLP;
- site_build_seconds: a clean `make site` (both editions and every explorer's frames, into an
  empty folder, as from a fresh clone after the install), and explorer_frames_mb: the size of each
  explorer's frames on the site.

Prints a markdown table, writes bench/results.json, rewrites the run-time column of the notebook
tables of README.md (English) and README.zh-CN.md (Chinese), and exits with status 1 if any
budget is exceeded.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import pkgutil
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from resnorm.execution import PromptKernelManager

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
BUDGETS = {
    "notebook_seconds": 20.0,
    "course_seconds": 90.0,
    "peak_rss_mb": 1024.0,
    "widget_update_ms": 250.0,
    "grad_norm_overhead": 1.10,
    "site_build_seconds": 60.0,
    "explorer_frames_mb": 3.0,
}
WIDGET_CHANGES = 12


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size (VmHWM) of process ``pid``, in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def bench_notebook(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    km = PromptKernelManager(kernel_name="python3")  # no stall after explorer cells
    client = NotebookClient(nb, km=km, timeout=600, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        peak = peak_rss_mb(km.provisioner.process.pid)
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1)}


def _next_value(control, i: int):
    """A new value for ``control`` (the i-th change), or None if the control type is unknown."""
    options = getattr(control, "options", None)
    if options:
        labels = [o[1] if isinstance(o, tuple) else o for o in options]
        if isinstance(control.value, tuple):  # SelectMultiple
            return (labels[i % len(labels)],)
        current = labels.index(control.value) if control.value in labels else 0
        return labels[(current + 1) % len(labels)]
    if isinstance(control.value, bool):
        return not control.value
    if hasattr(control, "min") and hasattr(control, "max"):
        low, high = control.min, control.max
        fraction = (0.2, 0.8, 0.5, 0.35, 0.65)[i % 5]
        value = low + fraction * (high - low)
        if isinstance(control.value, int):
            step = getattr(control, "step", 1) or 1
            value = int(low + round((value - low) / step) * step)
        return value if value != control.value else high
    return None


def explorer_factories() -> dict:
    import resnorm.figures as figures

    factories = {}
    for module_info in pkgutil.iter_modules(figures.__path__):
        module = importlib.import_module(f"resnorm.figures.{module_info.name}")
        for name in dir(module):
            if name.startswith("make_") and name.endswith("_explorer"):
                factories[f"{module_info.name}.{name}"] = getattr(module, name)
    return factories


def bench_widget(factory) -> float:
    with contextlib.redirect_stdout(io.StringIO()):
        explorer = factory()
        controls = [c for c in explorer.controls.values() if _next_value(c, 0) is not None]
        times = []
        for i in range(WIDGET_CHANGES):
            control = controls[i % len(controls)]
            value = _next_value(control, i // len(controls))
            start = time.perf_counter()
            control.value = value  # the explorer recomputes, draws and renders its PNG
            times.append(1000 * (time.perf_counter() - start))
    return round(statistics.median(times), 1)


def bench_grad_norm_overhead(repeats: int = 300) -> float:
    import torch
    import torch.nn.functional as F

    import resnorm
    from resnorm.measure import per_layer_grad_norms
    from resnorm.models import DeepMLP

    resnorm.setup(seed=0)
    model = DeepMLP(30, 64, out_features=10, residual=True, norm="layer")
    x, y = torch.randn(128, 64), torch.randint(10, (128,))

    def step(measure: bool) -> float:
        start = time.perf_counter()
        model.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        if measure:
            per_layer_grad_norms(model)
        return time.perf_counter() - start

    for _ in range(20):
        step(True)
    plain, measured = [], []
    for _ in range(repeats):  # interleaved, so drift in machine load hits both alike
        plain.append(step(False))
        measured.append(step(True))
    return round(statistics.median(measured) / statistics.median(plain), 3)


READMES = {"en": ROOT / "README.md", "zh": ROOT / "README.zh-CN.md"}


def bench_site() -> tuple[float, dict]:
    """Seconds of a clean site build, and the MB of each explorer's frames (edition/folder -> MB)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "site" / "build.py"), "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        frames = {f"{edition.name}/{explorer.name}": sum(f.stat().st_size for f in explorer.glob("frame-*.png")) / 1e6
                  for edition in sorted(out.iterdir()) for explorer in sorted(edition.glob("_explorers/*"))}
    return round(seconds, 1), {name: round(mb, 2) for name, mb in frames.items()}


def edition(name: str) -> str:
    """``"zh"`` for a Chinese notebook's key (``zh/01_...``), else ``"en"``."""
    return "zh" if name.startswith("zh/") else "en"


def update_readme(notebooks: dict) -> None:
    """Write each notebook's run time into its edition's README table (the row linking to it)."""
    for lang, readme in READMES.items():
        if not readme.exists():
            continue
        text = readme.read_text()
        for name, result in notebooks.items():
            if edition(name) != lang:
                continue
            pattern = re.compile(rf"^(\|[^\n]*\(notebooks/{re.escape(name)}\.ipynb\)[^\n]*\| )[^|\n]*( \|)$", re.M)
            text = pattern.sub(lambda m: f"{m.group(1)}{result['seconds']:.0f} s{m.group(2)}", text)
        readme.write_text(text)


def main() -> int:
    print("building the site from scratch ...", file=sys.stderr, flush=True)
    site_seconds, frames_mb = bench_site()
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    paths += sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))
    notebooks = {}
    for path in paths:
        name = path.relative_to(ROOT / "notebooks").with_suffix("").as_posix()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        notebooks[name] = bench_notebook(path)
    print("timing explorers ...", file=sys.stderr, flush=True)
    from resnorm.session import use_language

    widgets = {}
    for lang in ("en", "zh"):  # the Chinese labels are drawn with the CJK font: timed too
        use_language(lang)
        prefix = "" if lang == "en" else "zh/"
        widgets.update({prefix + name: bench_widget(factory) for name, factory in explorer_factories().items()})
    use_language("en")
    overhead = bench_grad_norm_overhead()
    results = {
        "notebooks": notebooks,
        "course_seconds": round(sum(r["seconds"] for n, r in notebooks.items() if edition(n) == "en"), 1),
        "course_seconds_zh": round(sum(r["seconds"] for n, r in notebooks.items() if edition(n) == "zh"), 1),
        "widget_update_ms": widgets,
        "grad_norm_overhead": overhead,
        "site_build_seconds": site_seconds,
        "explorer_frames_mb": frames_mb,
        "budgets": BUDGETS,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    update_readme(notebooks)

    failures = []

    def row(what, value, budget, unit):
        ok = value <= budget
        if not ok:
            failures.append(what)
        print(f"| {what} | {value:g} {unit} | <= {budget:g} {unit} | {'ok' if ok else 'OVER'} |")

    print("| measure | value | budget | |\n|---|---|---|---|")
    for name, r in notebooks.items():
        row(f"{name} run time", r["seconds"], BUDGETS["notebook_seconds"], "s")
        row(f"{name} peak kernel memory", r["peak_rss_mb"], BUDGETS["peak_rss_mb"], "MB")
    row("whole course run time", results["course_seconds"], BUDGETS["course_seconds"], "s")
    if results["course_seconds_zh"]:
        row("whole course run time, Chinese edition", results["course_seconds_zh"], BUDGETS["course_seconds"], "s")
    for name, ms in widgets.items():
        row(f"widget update {name}", ms, BUDGETS["widget_update_ms"], "ms")
    row("gradient-norm overhead", overhead, BUDGETS["grad_norm_overhead"], "x")
    row("clean site build (make site)", site_seconds, BUDGETS["site_build_seconds"], "s")
    for name, mb in frames_mb.items():
        row(f"explorer frames {name}", mb, BUDGETS["explorer_frames_mb"], "MB")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}; README run times updated")
    if failures:
        print(f"over budget: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
