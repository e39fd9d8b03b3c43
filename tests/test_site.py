"""The course's website (`make site`, site/build.py): built once here, then checked as a reader meets it.

Plain Python on the built files: every notebook of both editions has its page, every internal
link and anchor resolves, every notebook page has its Binder and download buttons (Binder from
site/settings.py's REPOSITORY), the edition switch leads to the same page in the other edition,
no page loads anything from another host, and every image of a notebook page has alt text; the
READMEs' and pyproject.toml's links agree with site/settings.py (site/links.py, `make links`).
In Debian's Chromium (marker ``browser``, the session's browser fixture of tests/conftest.py),
every page served from a loopback server: no console error, no uncaught exception, no request to
another host (blocked and recorded), no failed request, every image loaded; search finds
"LayerNorm" on both sites and Chinese words on the Chinese one; notebook 06's quiz answers.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import importlib.util
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE_SRC = ROOT / "site"
EDITIONS = {"en": ROOT / "notebooks", "zh": ROOT / "notebooks" / "zh"}
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def _settings():
    spec = importlib.util.spec_from_file_location("resnorm_site_settings", SITE_SRC / "settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REPOSITORY = _settings().REPOSITORY


def _notebooks(edition: str) -> list[str]:
    return [p.stem for p in sorted(EDITIONS[edition].glob(NOTEBOOK_GLOB))]


# Every page a reader can reach: the landing page, and per edition its home, search, index and notebooks.
PAGES = ["index.html"] + [f"{edition}/{name}.html" for edition in EDITIONS
                          for name in ["index", "search", "genindex", *_notebooks(edition)]]
NOTEBOOK_PAGES = [(edition, name) for edition in EDITIONS for name in _notebooks(edition)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """build/site as `make site` builds it, into a temporary folder (one build for the module)."""
    out = tmp_path_factory.mktemp("site") / "site"
    start = time.monotonic()
    result = subprocess.run([sys.executable, str(SITE_SRC / "build.py"), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"site/build.py failed:\n{result.stdout}\n{result.stderr}"
    print(f"site built in {time.monotonic() - start:.1f} s")
    return out


class _Page(html.parser.HTMLParser):
    """The ids, links (a href) and loaded resources (src, link href) of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, dict]] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href") is not None:
            self.links.append((attrs["href"], attrs))
        elif tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or "") + " preload icon":
            self.resources.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and attrs.get("src"):
            self.resources.append(attrs["src"])


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def _target(page_path: Path, url: str) -> tuple[Path, str]:
    parts = urlsplit(url)
    target = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
    return target, unquote(parts.fragment)


def test_both_editions_and_the_landing_page_are_built(site):
    for page in PAGES:
        assert (site / page).is_file(), f"the site has no {page}"
    landing = [href for href, _ in _parse(site / "index.html").links]
    assert "en/index.html" in landing and "zh/index.html" in landing
    # each edition's home lists every notebook of its edition
    for edition in EDITIONS:
        home = {href.split("#")[0] for href, _ in _parse(site / edition / "index.html").links}
        missing = [name for name in _notebooks(edition) if f"{name}.html" not in home]
        assert not missing, f"{edition}/index.html does not list {missing}"
        assert (site / edition / "searchindex.js").is_file(), f"{edition} has no search index of its own"


def test_every_internal_link_and_anchor_resolves(site):
    broken = []
    for page_path in sorted(site.rglob("*.html")):
        if "_static" in page_path.parts or "_vendor" in page_path.parts:
            continue
        for href, _ in _parse(page_path).links:
            if _external(href) or href.startswith(("mailto:", "javascript:")) or href in ("", "#"):
                continue
            target, fragment = _target(page_path, href)
            where = f"{page_path.relative_to(site)}: {href}"
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{where} (no such file)")
            elif fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
                broken.append(f"{where} (no anchor #{fragment})")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_no_page_loads_anything_from_another_host(site):
    outside = []
    for page_path in sorted(site.rglob("*.html")):
        if "_vendor" in page_path.parts:
            continue
        outside += [f"{page_path.relative_to(site)}: {url}" for url in _parse(page_path).resources if _external(url)]
    assert not outside, "resources from another host:\n" + "\n".join(outside)


def test_the_repository_address_is_written_once():
    """site/settings.py is the one place a fork changes: no other file of the site names the repository."""
    others = [p.relative_to(ROOT).as_posix() for p in sorted(SITE_SRC.rglob("*"))
              if p.is_file() and p.name != "settings.py" and "__pycache__" not in p.parts
              and REPOSITORY in p.read_text(encoding="utf-8", errors="replace")]
    assert not others, f"{REPOSITORY} is written in {others} too: derive it from site/settings.py"


def _links():
    spec = importlib.util.spec_from_file_location("resnorm_site_links", SITE_SRC / "links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_and_pyproject_links_point_at_the_configured_repository():
    """A fork that changes site/settings.py and forgets `make links` is told so here."""
    links = _links()
    stale = links.stale_files()
    assert not stale, (f"{', '.join(stale)} link a repository other than {REPOSITORY} (site/settings.py): "
                       f"run `{links.COMMAND}`")


def test_make_links_moves_every_link_to_a_forks_address():
    """Rewritten for a fork, no file names this repository any more: every link is one of links.RULES."""
    links = _links()
    fork = "someone/course-fork"
    for name in links.FILES:
        moved, found = links.with_repository((ROOT / name).read_text(encoding="utf-8"), fork)
        assert found, f"{name}: no link to rewrite"
        left = [old for old in (REPOSITORY, quote(REPOSITORY, safe="")) if old in moved]
        assert not left, f"{name} still names {left} after rewriting for {fork}: a link that site/links.py misses"
        expected = [f"https://github.com/{fork}"]
        if name.startswith("README"):
            expected += [f"https://mybinder.org/v2/gh/{fork}/HEAD", f"repo=https%3A%2F%2Fgithub.com%2F{quote(fork, safe='')}&",
                         "&urlpath=lab%2Ftree%2Fcourse-fork%2Fnotebooks%2F", "`course-fork/`"]
        assert all(link in moved for link in expected), f"{name}: missing {[x for x in expected if x not in moved]}"
    with pytest.raises(ValueError, match="owner/name"):
        links.with_repository("", "course-fork")


def _binder_url(edition: str, name: str) -> str:
    if edition == "en":
        return f"https://mybinder.org/v2/gh/{REPOSITORY}/HEAD?urlpath=lab/tree/notebooks/{name}.ipynb"
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/HEAD?urlpath=resnorm/edition/{edition}/{name}"


def _button(page: _Page, css_class: str) -> str:
    hrefs = [href for href, attrs in page.links if css_class in (attrs.get("class") or "").split()]
    assert len(hrefs) == 1, f"expected one {css_class} link, found {len(hrefs)}"
    return hrefs[0]


@pytest.mark.parametrize("edition, name", NOTEBOOK_PAGES, ids=[f"{e}/{n}" for e, n in NOTEBOOK_PAGES])
def test_every_notebook_page_has_binder_download_and_the_other_edition(site, edition, name):
    path = site / edition / f"{name}.html"
    page = _parse(path)
    assert _button(page, "course-binder") == _binder_url(edition, name)
    download, _ = _target(path, _button(page, "course-download"))
    assert download.is_file(), f"the download button of {edition}/{name} points at a missing file"
    assert download.read_bytes() == (EDITIONS[edition] / f"{name}.ipynb").read_bytes(), (
        "the download is not the notebook as committed")
    other = "zh" if edition == "en" else "en"
    switch, _ = _target(path, _button(page, "course-edition"))
    expected = name if name in _notebooks(other) else "index"
    assert switch == (site / other / f"{expected}.html").resolve()
    assert switch.is_file()


@pytest.mark.parametrize("edition, name", NOTEBOOK_PAGES, ids=[f"{e}/{n}" for e, n in NOTEBOOK_PAGES])
def test_every_stored_figure_is_on_the_page(site, edition, name):
    notebook = json.loads((EDITIONS[edition] / f"{name}.ipynb").read_text(encoding="utf-8"))
    figures = sum("image/png" in output.get("data", {}) for cell in notebook["cells"]
                  for output in cell.get("outputs", []))
    path = site / edition / f"{name}.html"
    images = [src for src in _parse(path).resources if "/_images/" in f"/{src}"]
    assert len(images) >= figures, f"{edition}/{name}: {figures} stored figures, {len(images)} images on the page"
    for src in images:
        assert _target(path, src)[0].is_file(), f"{edition}/{name}: missing {src}"


class _Images(html.parser.HTMLParser):
    """(src, alt) of every <img> of a page; alt None where the tag has none."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attrs = dict(attrs)
            self.images.append((attrs.get("src", ""), attrs.get("alt")))


FIGURE_ALT = {"en": "Figure: ", "zh": "图："}


@pytest.mark.parametrize("edition, name", NOTEBOOK_PAGES, ids=[f"{e}/{n}" for e, n in NOTEBOOK_PAGES])
def test_every_image_has_alt_text(site, edition, name):
    """Every image of a notebook page says something: a stored figure, the heading it is under
    (site/conf.py FigureAltText), in the edition's language; never its file name."""
    images = _Images()
    images.feed((site / edition / f"{name}.html").read_text(encoding="utf-8"))
    prefix = FIGURE_ALT[edition]
    bad = []
    for src, alt in images.images:
        text = (alt or "").strip()
        stored_figure = "/_images/" in f"/{src}"
        if not text or text == src or (stored_figure and (not text.startswith(prefix) or text == prefix)):
            bad.append(f"{src}: alt {alt!r}")
    assert not bad, f"{edition}/{name}: images without meaningful alt text:\n" + "\n".join(bad)


def test_mathjax_is_the_locked_version(site):
    lock = json.loads((SITE_SRC / "vendor.lock.json").read_text(encoding="utf-8"))["mathjax"]
    mathjax = (site / "_vendor" / "mathjax" / "MathJax.js").read_text(encoding="utf-8")
    assert f'MathJax.version="{lock["version"]}"' in mathjax
    page = _parse(site / "en" / "01_residual_connections.html")
    scripts = [src for src in page.resources if "MathJax.js" in src]
    assert scripts, "the page with formulas loads no MathJax"
    assert _target(site / "en" / "01_residual_connections.html", scripts[0])[0] == (site / "_vendor" / "mathjax" / "MathJax.js").resolve()


# ----- in Chromium ---------------------------------------------------------------------------------



class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """The built site on a loopback port, as a static host serves it; its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _watch(page, base: str) -> list[str]:
    """Record console errors, failed requests and (blocked) requests to any other host."""
    problems = []

    def other_host(route):
        problems.append(f"request to another host: {route.request.url}")
        route.abort()

    page.route(lambda url: not url.startswith(base), other_host)
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    # (a request the page itself cancels when the reader moves on, ERR_ABORTED, is no failure;
    # a missing file is caught by its status)
    page.on("requestfailed", lambda request: None if not request.url.startswith(base)
            or "ERR_ABORTED" in (request.failure or "")
            else problems.append(f"failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400 else None)
    return problems


class _InFlight:
    """The page's requests still in flight, counted from its events from now on. (Playwright's own
    "networkidle" state can miss its moment on a busy machine and then never come: it is
    discouraged, microsoft/playwright#42598.)"""

    def __init__(self, page):
        self.page, self.pending = page, set()
        page.on("request", lambda request: self.pending.add(request))
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", lambda request: self.pending.discard(request))

    def settle(self, quiet_ms: int = 500, timeout_ms: int = 60_000) -> None:
        """Wait until no request has been in flight for ``quiet_ms``; fail naming the pending ones."""
        deadline = time.monotonic() + timeout_ms / 1000
        quiet_since = None
        while time.monotonic() < deadline:
            if self.pending:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_ms / 1000:
                return
            self.page.wait_for_timeout(50)  # (the page's events are delivered while it waits)
        pending = sorted(request.url for request in self.pending)
        raise AssertionError(f"requests still in flight after {timeout_ms / 1000:.0f} s: {pending}")


IMAGES_JS = """() => Array.from(document.images).filter(img => !img.complete || img.naturalWidth === 0)
                       .map(img => img.getAttribute('src'))"""


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_in_chromium(served, page, path):
    problems = _watch(page, served)
    network = _InFlight(page)
    page.goto(served + path, wait_until="load")
    network.settle()
    if path.endswith(".html") and "/" in path:  # MathJax typesets after the load event
        page.wait_for_function("() => !window.MathJax || !MathJax.Hub || MathJax.Hub.queue.pending === 0",
                               timeout=60_000)
        network.settle()
    problems += [f"uncaught: {error}" for error in page.errors]
    broken = page.evaluate(IMAGES_JS)
    problems += [f"image not loaded: {src}" for src in broken]
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.browser
def test_formulas_are_typeset(served, page):
    problems = _watch(page, served)
    page.goto(served + "en/01_residual_connections.html")
    page.wait_for_selector(".MathJax", state="attached", timeout=60_000)
    assert not problems, "\n".join(problems)


def _search(page, served: str, edition: str, query: str) -> list[str]:
    """The addresses of the results the edition's search page lists for ``query`` (waits for them)."""
    page.goto(served + f"{edition}/search.html?q={quote(query)}")
    page.wait_for_selector("#search-results ul.search li", timeout=60_000)
    return page.locator("#search-results ul.search li a").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.browser
def test_search_finds_layernorm_on_the_english_site(served, page):
    problems = _watch(page, served)
    results = _search(page, served, "en", "LayerNorm")
    assert any("02_layer_normalization.html" in url for url in results), results
    assert not problems, "\n".join(problems)


# Chinese words are in the index only if jieba cut the text into words (site/conf.py ChineseSearch),
# 层归一化 only if the course's terms joined jieba's dictionary; the Latin words are stemmed as
# English, by a stemmer that must exist on the page.
@pytest.mark.browser
@pytest.mark.parametrize("query", ["归一化", "层归一化", "LayerNorm", "residuals"])
def test_search_finds_chinese_and_latin_words_on_the_chinese_site(served, page, query):
    problems = _watch(page, served)
    results = _search(page, served, "zh", query)
    pages = {urlsplit(url).path.rsplit("/", 1)[-1] for url in results}
    assert any(urlsplit(url).path.startswith("/zh/") for url in results), results
    assert pages & {f"{name}.html" for name in _notebooks("zh")}, f"no notebook page among {results}"
    assert not problems + page.errors, "\n".join(problems + page.errors)


QUIZ_NOTEBOOK = "06_interview_drill"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _stored_quiz_questions(edition: str) -> list[dict]:
    """The questions of the jupyterquiz quiz stored in the edition's notebook 06 (its JavaScript output)."""
    notebook = json.loads((EDITIONS[edition] / f"{QUIZ_NOTEBOOK}.ipynb").read_text(encoding="utf-8"))
    scripts = ["".join(output["data"]["application/javascript"]) for cell in notebook["cells"]
               for output in cell.get("outputs", []) if "application/javascript" in output.get("data", {})]
    found = [re.match(r"var questions\w+=", script) for script in scripts]
    assert sum(map(bool, found)) == 1, f"{edition}/{QUIZ_NOTEBOOK}: expected one stored quiz"
    script, match = next((script, match) for script, match in zip(scripts, found) if match)
    return json.JSONDecoder().raw_decode(script, match.end())[0]


def _feedback(question, verdict: str) -> str:
    """The feedback text of a quiz question, once it shows ``verdict`` (correct or incorrect)."""
    feedback = question.locator(f".Feedback.{verdict}")
    feedback.wait_for()
    return feedback.inner_text().strip()


@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_quiz_renders_and_answers_get_feedback(served, page, edition):
    """Notebook 06's quiz on the site: every question shown; a right and a wrong number, typed and
    sent with Enter, and a wrong and the right option, clicked, each get their feedback, in the
    edition's language."""
    problems = _watch(page, served)
    page.goto(served + f"{edition}/{QUIZ_NOTEBOOK}.html")
    page.locator(".Quiz").first.wait_for()
    assert page.locator(".Quiz").count() == len(_stored_quiz_questions(edition))

    numeric = page.locator(".Quiz").filter(has=page.locator("input.Input-text")).first
    field = numeric.locator("input.Input-text")
    answers = json.loads(field.get_attribute("data-answers"))
    right = next(answer for answer in answers if answer.get("correct"))
    default = next(answer for answer in answers if answer["type"] == "default")
    field.fill(str(right["value"]))
    field.press("Enter")
    said = [_feedback(numeric, "correct")]
    assert said[-1] == right["feedback"]
    field.fill(str(right["value"] + 1))
    field.press("Enter")
    said.append(_feedback(numeric, "incorrect"))
    assert said[-1] == default["feedback"]

    choice = page.locator(".Quiz").filter(has=page.locator(".MCButton")).first
    wrong_option = choice.locator('.MCButton[data-correct="false"]').first
    wrong_option.click()
    said.append(_feedback(choice, "incorrect"))
    assert said[-1] == wrong_option.get_attribute("data-feedback")
    choice.locator('.MCButton[data-correct="true"]').click()
    said.append(_feedback(choice, "correct"))

    assert all(bool(CJK.search(text)) == (edition == "zh") for text in said), said
    assert not problems + page.errors, "\n".join(problems + page.errors)


@pytest.mark.browser
def test_edition_switch_leads_to_the_same_page(served, page):
    problems = _watch(page, served)
    page.goto(served + "en/02_layer_normalization.html")
    page.locator("a.course-edition").click()
    page.wait_for_load_state("load")
    assert page.url == served + "zh/02_layer_normalization.html"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.locator("a.course-edition").click()
    page.wait_for_load_state("load")
    assert page.url == served + "en/02_layer_normalization.html"
    assert not problems, "\n".join(problems)


# --- explorers without a kernel (site/explorers.py, site/static/explorer.js) ------------------

def _explorers_module():
    spec = importlib.util.spec_from_file_location("resnorm_site_explorers", SITE_SRC / "explorers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXPLORER_PAGES = [(edition, name) for edition, name in NOTEBOOK_PAGES
                  if _explorers_module().RECIPE_MIMETYPE in (EDITIONS[edition] / f"{name}.ipynb").read_text(encoding="utf-8")]
FRAMES_BUDGET_BYTES = 3_000_000  # issue 16: each explorer's frames under 3 MB
RESPONSE_BUDGET_MS = 50  # issue 16: a control's change shown within 50 ms


def test_the_site_knows_the_recipe_mimetype_of_the_package():
    from resnorm.widgets import RECIPE_MIMETYPE

    assert _explorers_module().RECIPE_MIMETYPE == RECIPE_MIMETYPE


def test_every_explorer_of_the_course_is_on_the_site():
    assert {name for _, name in EXPLORER_PAGES} == {
        "01_residual_connections", "02_layer_normalization", "03_transformer_residual_layernorm",
        "04_pros_and_cons", "05_beyond_the_interview"}
    assert len(EXPLORER_PAGES) == 10


@pytest.mark.parametrize("edition, name", EXPLORER_PAGES)
def test_every_explorer_has_its_frames(site, edition, name):
    """The page holds a placeholder (not the stored widget) whose folder has the manifest and every
    frame, together under 3 MB."""
    page_file = site / edition / f"{name}.html"
    text = page_file.read_text(encoding="utf-8")
    folders = re.findall(r'class="resnorm-frames" data-frames="([^"]+)"', text)
    assert len(folders) == 1, folders
    assert "resnorm.explorer+json" not in text
    folder = page_file.parent / folders[0]
    script = (folder / "manifest.js").read_text(encoding="utf-8")
    manifest = json.loads(script[script.index("] = ") + 4:].rstrip().rstrip(";"))
    frames = sorted(folder.glob("frame-*.png"))
    assert len(frames) == len(manifest["frames"]) >= 20
    assert sum(f.stat().st_size for f in frames) < FRAMES_BUDGET_BYTES
    labels = " ".join(c["label"] for c in manifest["controls"]) + manifest["text"]["unavailable"]
    assert bool(CJK.search(labels)) == (edition == "zh"), labels


def _explorer_page(page, served: str, edition: str, name: str):
    """Open the page, bring the explorer into view and wait until all its frames are loaded."""
    network = _InFlight(page)
    page.goto(served + f"{edition}/{name}.html")
    root = page.locator(".resnorm-frames.resnorm-frames-ready")
    root.wait_for(timeout=30_000)
    root.scroll_into_view_if_needed()
    network.settle()
    return root


def _frame(root) -> tuple[str, str]:
    image = root.locator("img.resnorm-frame")
    root.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return root.get_attribute("data-frame"), image.get_attribute("src")


def _move(root, index: int, control: dict, current: int):
    """Move control ``index`` of the explorer (``control``: its manifest entry) away from ``current``."""
    box = root.locator(".resnorm-control").nth(index)
    if control["kind"] == "slider":
        target = 0 if current != 0 else len(control["values"]) - 1
        box.locator("input").evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('change')); }",
                                      target)
    elif control["kind"] == "select":
        box.locator("select").select_option(str(0 if current != 0 else 1))
    else:  # a checkbox, or the first option of a multiple choice
        box.locator("input[type=checkbox]").first.click()


@pytest.mark.browser
@pytest.mark.parametrize("edition, name", EXPLORER_PAGES)
def test_moving_each_control_changes_the_figure_quickly(served, page, edition, name):
    """Every control of every explorer, moved once: a different frame shows, loaded, within 50 ms of
    the change; the image's alt text names the setting; nothing fails."""
    problems = _watch(page, served)
    root = _explorer_page(page, served, edition, name)
    manifest = page.evaluate("key => window.resnormFrames[key]",
                             root.get_attribute("data-frames").rstrip("/").split("/")[-1])
    for index, control in enumerate(manifest["controls"]):
        before, before_src = _frame(root)
        current = manifest["frames"][int(before)][index]
        _move(root, index, control, current)
        page.wait_for_function("([el, before]) => el.dataset.frame !== before", arg=[root.element_handle(), before])
        after, after_src = _frame(root)
        assert after_src != before_src, (control["name"], after_src)
        page.wait_for_function("el => el.dataset.responseMs !== undefined", arg=root.element_handle())
        response = float(root.get_attribute("data-response-ms"))
        assert response < RESPONSE_BUDGET_MS, f"{control['name']}: {response} ms"
        assert control["label"] in root.locator("img.resnorm-frame").get_attribute("alt")
    assert not problems + page.errors, "\n".join(problems + page.errors)


@pytest.mark.browser
def test_a_setting_without_a_frame_moves_the_other_controls_and_says_so(served, page):
    """Notebook 01's explorer: 60 blocks, then tanh (precomputed at 30 blocks only): the depth
    moves to 30 and the note names it."""
    root = _explorer_page(page, served, "en", "01_residual_connections")
    depth, activation = root.locator(".resnorm-control").nth(0), root.locator(".resnorm-control").nth(3)
    depth.locator("input").evaluate("el => { el.value = el.max; el.dispatchEvent(new Event('change')); }")
    assert depth.locator("output").inner_text() == "60"
    activation.locator("select").select_option(label="tanh")
    assert depth.locator("output").inner_text() == "30"
    assert "depth" in root.locator(".resnorm-frames-note").inner_text()
    assert "tanh" in root.locator("img.resnorm-frame").get_attribute("alt")


@pytest.mark.browser
def test_a_choice_no_frame_has_is_undone_with_a_note(served, page):
    """Notebook 05's lesion explorer has up to two deleted blocks precomputed: a third is refused."""
    root = _explorer_page(page, served, "zh", "05_beyond_the_interview")
    boxes = root.locator(".resnorm-multi input[type=checkbox]")
    boxes.nth(0).click()
    boxes.nth(1).click()
    frame = root.get_attribute("data-frame")
    boxes.nth(2).click()
    assert not boxes.nth(2).is_checked()
    assert root.get_attribute("data-frame") == frame
    assert "预先算好" in root.locator(".resnorm-frames-note").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_without_javascript_an_explorer_shows_its_first_frame_and_says_why(browser, served, edition):
    """A reader with JavaScript off sees the explorer's first frame (loaded) and a note, in the
    edition's language, that the controls need JavaScript."""
    name = next(name for e, name in EXPLORER_PAGES if e == edition)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        loaded = []
        page.on("response", lambda response: loaded.append((response.url, response.status)))
        page.goto(served + f"{edition}/{name}.html", wait_until="load")
        root = page.locator(".resnorm-frames")
        assert root.locator("img.resnorm-frame").is_visible()
        note = root.locator(".resnorm-frames-note").inner_text()
        assert "JavaScript" in note and bool(CJK.search(note)) == (edition == "zh"), note
        assert [status for url, status in loaded if url.endswith("/frame-0.png")] == [200], loaded
    finally:
        context.close()


@pytest.mark.browser
def test_an_explorer_whose_frames_are_missing_says_so(served, page):
    """A site copied without its _explorers folder: the explorer's place says how to rebuild it."""
    page.route("**/_explorers/**", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(served + "en/02_layer_normalization.html", wait_until="load")
    note = page.locator(".resnorm-frames .resnorm-frames-missing")
    note.wait_for()
    assert "make site" in note.inner_text()
    assert page.locator(".resnorm-frames img").count() == 0
    assert not page.errors, page.errors
