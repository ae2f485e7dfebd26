"""`make lab`: the .md chapters open as notebooks (jupytext) and edits save to both files of a pair.

Starts JupyterLab headless on 127.0.0.1 (free port, random token, notebooks/ as root), reads
every chapter of _toc.yml through the REST contents API as a notebook and compares its cells
with the committed .ipynb; checks that JupyterLab's default viewer for Markdown is "Jupytext
Notebook" (tests/lab_overrides.json, installed by `make install`). Then, on a copy of one
chapter in a temporary folder (never the repository's files), saves an edited notebook through
the API and checks that the edit reached both the .md and the .ipynb, and the outputs stayed.
Each server is stopped at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import nbformat
import pytest
from conftest import BOOK_ROOT, chapter_pages

pytestmark = pytest.mark.site

CHAPTERS = [c for c in chapter_pages() if (BOOK_ROOT / f"{c}.md").is_file()]
JUPYTER = pathlib.Path(sys.executable).parent / "jupyter"
START_TIMEOUT = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A headless Jupyter server on 127.0.0.1 with a token, talking JSON over its REST API."""

    def __init__(self, app: str, root: pathlib.Path, scratch: pathlib.Path) -> None:
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(scratch / "config"),  # nothing from the user's ~/.jupyter
            JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(scratch / "user-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
            IPYTHONDIR=str(scratch / "ipython"),
        )
        scratch.mkdir(parents=True, exist_ok=True)
        self.log = (scratch / f"{app}.log").open("w+")
        self.proc = subprocess.Popen(
            [
                str(JUPYTER),
                app,
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.open_browser=False",
                *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),  # CI containers
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=root,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter {app} exited with {self.proc.returncode}:\n{self.output()}")
            with contextlib.suppress(OSError):
                if self.get("/api/status")["started"]:
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"jupyter {app} did not answer within {START_TIMEOUT} s:\n{self.output()}")
            time.sleep(0.5)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-4000:]

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"{}")

    def get(self, path: str) -> dict:
        return self.request("GET", path)

    def notebook(self, rel: str) -> dict:
        return self.get(f"/api/contents/{urllib.parse.quote(rel)}?type=notebook&content=1")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


def _cells(cells) -> list[tuple[str, str]]:
    def src(c) -> str:
        s = c["source"]
        return ("".join(s) if isinstance(s, list) else s).strip()

    return [(c["cell_type"], src(c)) for c in cells]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab (as `make lab` starts it) on notebooks/; stopped after the module."""
    if not CHAPTERS:
        pytest.skip("no chapter in _toc.yml has its .md yet")
    server = Server("lab", BOOK_ROOT / "notebooks", tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_md_opens_as_the_paired_notebook(lab, chapter):
    rel = pathlib.PurePosixPath(chapter).relative_to("notebooks").as_posix() + ".md"
    model = lab.notebook(rel)
    assert model["type"] == "notebook", f"{rel} is served as {model['type']!r}, not as a notebook"
    ipynb = nbformat.read(BOOK_ROOT / f"{chapter}.ipynb", as_version=4)
    got, want = _cells(model["content"]["cells"]), _cells(ipynb.cells)
    assert len(got) == len(want), f"{rel}: {len(got)} cells through jupytext, {len(want)} in the .ipynb"
    diff = [i for i, (a, b) in enumerate(zip(got, want)) if a != b]
    if diff:
        first = diff[0]
        a, b = got[first][1].splitlines(), want[first][1].splitlines()
        line = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        pytest.fail(
            f"{rel}: cells {diff} differ from the .ipynb (is the pair synced? `make sync`); first difference, "
            f"cell {first} line {line + 1}:\n  .md:    {(a[line : line + 1] or ['<end>'])[0][:200]}\n"
            f"  .ipynb: {(b[line : line + 1] or ['<end>'])[0][:200]}",
            pytrace=False,
        )
    # The outputs come from the paired .ipynb: a reader opening the .md sees the executed notebook.
    outputs = sum(len(c.get("outputs", [])) for c in model["content"]["cells"] if c["cell_type"] == "code")
    expected = sum(len(c.get("outputs", [])) for c in ipynb.cells if c.cell_type == "code")
    assert outputs == expected, (
        f"{rel} opens in Jupyter with {outputs} outputs, its .ipynb has {expected}: jupytext did not pair them "
        "(Jupyter's jupytext looks for its configuration only inside the server's root folder, notebooks/)"
    )


def test_markdown_opens_with_jupytext_by_default(lab):
    try:
        plugin = lab.get("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    except urllib.error.HTTPError as e:
        pytest.fail(f"JupyterLab settings API: {e}")
    # overrides.json changes the schema's default; a user setting (none here: a scratch settings dir) would win.
    default = plugin["schema"]["properties"]["defaultViewers"].get("default") or {}
    viewers = {**default, **(plugin.get("settings", {}).get("defaultViewers") or {})}
    assert viewers.get("markdown") == "Jupytext Notebook", (
        f"JupyterLab opens .md with {viewers.get('markdown')!r}: tests/lab_overrides.json is not installed in "
        f"{sys.prefix}/share/jupyter/lab/settings/overrides.json (run `make install`)"
    )


JUPYTEXT_CONFIGS = ("jupytext.toml", "jupytext.yml", "jupytext.yaml", "jupytext.json", ".jupytext", ".jupytext.toml")


def test_saving_through_jupyter_writes_both_files(tmp_path):
    """As in `make lab` (root notebooks/), saving a chapter's .md through Jupyter updates its .ipynb too."""
    if not CHAPTERS:
        pytest.skip("no chapter in _toc.yml has its .md yet")
    chapter = pathlib.PurePosixPath(CHAPTERS[0])
    # A copy of the chapter pair and of every jupytext config above it, in the repository's layout.
    for folder in [pathlib.PurePosixPath("."), *reversed(chapter.parents[:-1])]:
        for name in JUPYTEXT_CONFIGS:
            if (BOOK_ROOT / folder / name).is_file():
                (tmp_path / folder).mkdir(parents=True, exist_ok=True)
                shutil.copy2(BOOK_ROOT / folder / name, tmp_path / folder / name)
    (tmp_path / chapter.parent).mkdir(parents=True, exist_ok=True)
    for suffix in (".md", ".ipynb"):
        shutil.copy2(BOOK_ROOT / f"{chapter}{suffix}", tmp_path / f"{chapter}{suffix}")
    md_path, ipynb_path = tmp_path / f"{chapter}.md", tmp_path / f"{chapter}.ipynb"
    rel = chapter.relative_to("notebooks").as_posix() + ".md"
    before = nbformat.read(ipynb_path, as_version=4)
    n_outputs = sum(len(c.get("outputs", [])) for c in before.cells if c.cell_type == "code")

    server = Server("server", tmp_path / "notebooks", tmp_path / "scratch")
    try:
        nb = server.notebook(rel)["content"]
        marker = f"Edited through the Jupyter REST API ({secrets.token_hex(4)})."
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": marker})
        server.request(
            "PUT", f"/api/contents/{urllib.parse.quote(rel)}", {"type": "notebook", "format": "json", "content": nb}
        )
    finally:
        server.stop()

    assert marker in md_path.read_text(encoding="utf-8"), "the edit did not reach the .md"
    after = nbformat.read(ipynb_path, as_version=4)
    assert after.cells[-1].source.strip() == marker, (
        f"saving {rel} in Jupyter (root notebooks/, as `make lab`) did not update the paired .ipynb: "
        "Jupyter's jupytext looks for its configuration only inside the server's root folder, so the pairing "
        "must be in notebooks/ (a jupytext.toml there) or in each .md's metadata (jupytext.formats)"
    )
    assert sum(len(c.get("outputs", [])) for c in after.cells if c.cell_type == "code") == n_outputs, (
        "saving the .md dropped outputs of the .ipynb"
    )
    assert _cells(after.cells)[:-1] == _cells(before.cells), "saving changed cells that were not edited"
