"""A deck author's own repository, set up as the README's "Your own deck repository" says: deckbuilder installed
from a wheel or from its git address at the release tag, the two commands a co-author runs after cloning,
CI's commands, and the pre-commit hooks, run by pre-commit itself from the tag."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.decks import MINIMAL_DECK, PROJECT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

README = (PROJECT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("\n## Your own deck repository\n", 1)[1].split("\n## ", 1)[0]
VERSION = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
TAG = f"v{VERSION}"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout


def python(*args: str, cwd: Path, site: Path | None = None) -> subprocess.CompletedProcess:
    """This Python, with `site` (a --target install) first on its path."""
    env = dict(os.environ, PYTHONPATH=str(site)) if site else None
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def shell_blocks(text: str) -> list[list[str]]:
    return [block.splitlines() for block in re.findall(r"```sh\n(.*?)\n```", text, re.DOTALL)]


def test_the_readme_and_the_hooks_name_the_release_tag_of_this_version():
    assert f"rev: {TAG}\n" in SECTION and f"@{TAG}" in SECTION and f"annotated tag `{TAG}`" in SECTION
    assert f"rev: {TAG}\n" in (PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")


def test_the_release_tag_where_this_clone_has_it_is_annotated_and_of_this_version():
    """A clone made without tags (CI's clean clone of `main` is one) cannot show the tag; the tests below install
    from a tag made on a copy of these files instead. Where the tag was fetched, it must be the release."""
    if not git(PROJECT, "tag", "--list", TAG).strip():
        assert git(PROJECT, "tag", "--list").strip() == "", "other tags were fetched, but not this version's"
        return
    assert git(PROJECT, "cat-file", "-t", TAG).strip() == "tag", f"{TAG} must be an annotated tag of this repository"
    tagged = tomllib.loads(git(PROJECT, "show", f"{TAG}:pyproject.toml"))["project"]["version"]
    assert tagged == VERSION


def test_a_co_author_clones_and_builds_the_same_bytes_and_ci_passes(tmp_path, monkeypatch):
    coauthor, ci = shell_blocks(SECTION)
    assert coauthor == ["pip install -r requirements.txt", "deckbuilder build"]
    assert ci == ["pip install -r requirements.txt", "deckbuilder build --check", "deckbuilder lint"]
    author = tmp_path / "author"
    author.mkdir()
    monkeypatch.chdir(author)
    git(author, "init", "-q")
    assert run("init", "vitamin-d").exit_code == 0 and run("build").exit_code == 0
    git(author, "add", ".")
    git(author, "-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-q", "-m", "A deck")
    git(tmp_path, "clone", "-q", str(author), "clone")
    monkeypatch.chdir(tmp_path / "clone")
    assert not (tmp_path / "clone" / "build").exists(), "the build folder was never committed"
    assert run("build").output == "build/vitamin-d.apkg: Vitamin D — 5 notes, 7 cards\n"
    package = "build/vitamin-d.apkg"
    assert (tmp_path / "clone" / package).read_bytes() == (author / package).read_bytes()
    assert git(tmp_path / "clone", "status", "--porcelain") == ""
    assert run("build", "--check").exit_code == 0 and run("lint").exit_code == 0


@pytest.fixture
def source_copy(tmp_path) -> Path:
    """deckbuilder's tracked files as they are now, copied: building there leaves the project as it is."""
    copy = tmp_path / "deckbuilder"
    for name in git(PROJECT, "ls-files", "-z").split("\0"):
        if name and (PROJECT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, copy / name)
    return copy


@pytest.fixture
def released(source_copy) -> Path:
    """A repository of those files with this version's release tag, as `git tag -a` makes it: what a deck
    repository installs from, whether or not this clone of deckbuilder has fetched the tag."""
    git(source_copy, "init", "-q")
    git(source_copy, "add", ".")
    author = ["-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.org"]
    git(source_copy, *author, "commit", "-q", "-m", f"deckbuilder {VERSION}")
    git(source_copy, *author, "tag", "-a", TAG, "-m", f"deckbuilder {VERSION}")
    # Work after the release that cannot run: an install that took the branch's head and not the tag fails.
    with (source_copy / "deckbuilder" / "__init__.py").open("a", encoding="utf-8") as init:
        init.write('\nraise ImportError("the branch head was installed, not the release tag")\n')
    git(source_copy, *author, "commit", "-q", "-a", "-m", "work after the release")
    return source_copy


def runs_from(site: Path, folder: Path) -> None:
    """deckbuilder installed in `site` imports from there and makes and builds a deck in `folder`."""
    folder.mkdir()
    where = python("-c", "import deckbuilder; print(deckbuilder.__file__)", cwd=folder, site=site)
    assert Path(where.stdout.strip()).is_relative_to(site), where
    for command in (["init", "vitamin-d"], ["build"]):
        result = python("-m", "deckbuilder", *command, cwd=folder, site=site)
        assert result.returncode == 0, result.stderr
    assert result.stdout == "build/vitamin-d.apkg: Vitamin D — 5 notes, 7 cards\n"


def test_a_wheel_made_with_pip_wheel_installs_offline_and_runs(source_copy, tmp_path):
    assert "`pip wheel . -w wheels`" in SECTION
    assert "`pip install --no-index --find-links ../deckbuilder/wheels\n  deckbuilder`" in SECTION
    made = python("-m", "pip", "wheel", "--quiet", "--no-deps", ".", "-w", "wheels", cwd=source_copy)
    assert made.returncode == 0, made.stderr
    assert [path.name for path in (source_copy / "wheels").iterdir()] == [f"deckbuilder-{VERSION}-py3-none-any.whl"]
    site = tmp_path / "site"
    installed = python("-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--find-links",
                       str(source_copy / "wheels"), "--target", str(site), "deckbuilder", cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    runs_from(site, tmp_path / "deck")


def test_requirements_naming_the_git_address_at_the_tag_install_that_release(released, tmp_path):
    line = f"deckbuilder @ git+file://localhost{released}@{TAG}"
    assert f'`pip install "deckbuilder @ git+file://localhost/home/you/src/deckbuilder@{TAG}"`' in SECTION
    (tmp_path / "requirements.txt").write_text(line + "\n")
    site = tmp_path / "site"
    installed = python("-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), "-r",
                       "requirements.txt", cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    runs_from(site, tmp_path / "deck")


def test_pre_commit_runs_the_hooks_from_the_release_tag(released, tmp_path, monkeypatch):
    config = re.search(r"```yaml\n(repos:\n.*?)```", SECTION, re.DOTALL).group(1)
    assert "    rev: v0.1.0\n" in config
    deck = tmp_path / "my-decks"
    deck.mkdir()
    monkeypatch.chdir(deck)
    git(deck, "init", "-q")
    assert run("init", "demo").exit_code == 0
    (deck / ".pre-commit-config.yaml").write_text(config.replace("/home/you/src/deckbuilder", str(released)))
    git(deck, "add", ".")
    pre_commit = [str(Path(sys.executable).with_name("pre-commit")), "run", "--all-files"]
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    passed = subprocess.run(pre_commit, cwd=deck, env=env, capture_output=True, text=True, timeout=600)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.findall(r"^deckbuilder (check|lint)\.+Passed$", passed.stdout, re.MULTILINE) == ["check", "lint"]
    (deck / "cards" / "demo.yaml").write_text(MINIMAL_DECK.replace("back: One", "bakc: One"))
    git(deck, "add", ".")
    failed = subprocess.run(pre_commit, cwd=deck, env=env, capture_output=True, text=True, timeout=600)
    assert failed.returncode == 1
    assert ("cards/demo.yaml:13:9: unknown key 'bakc' in basic card, and 'back' is missing (did you mean 'back'?)"
            in failed.stdout)
