"""`backprop-gui --install-desktop` on Linux: real files in a temporary $XDG_DATA_HOME
(never the user's), checked as a desktop reads them: the desktop entry parses and its Exec
gives back the program's path, spaces and all; the MIME type claims our projects and labs
by their content and no other JSON; uninstall removes just what install wrote. Where the
freedesktop tools are installed, the real MIME database and `gio open` (what a file
manager's double-click runs) are checked too."""

import configparser
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backprop_gui import desktop_install
from backprop_gui.cli import main as cli_main
from backprop_gui.core.config import load_project, save_project
from backprop_gui.desktop_files import MIME_TYPE, desktop_entry
from backprop_gui.desktop_install import (
    DESKTOP_FILE,
    LINUX_FILES,
    MIME_FILE,
    install_linux,
    uninstall_linux,
    without_default,
)
from backprop_gui.resources import resource_dir

ROOT = Path(__file__).parents[2]
PROJECT_FILES = sorted((resource_dir() / "projects").glob("*.json")) + sorted(
    (resource_dir() / "labs").glob("*.json"))
NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
HAVE_MIME_TOOLS = bool(shutil.which("update-mime-database") and shutil.which("gio"))


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The data home (a path with a space), with the config home beside it."""
    data = tmp_path / "data home"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return data


def entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # desktop entry keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def exec_argv(value: str) -> list[str]:
    """An Exec value as the Desktop Entry spec says to read it: the string escapes, then the
    quoting (\\ before " ` $ \\ inside double quotes), then %% as a literal %."""
    text = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(
        m.group(1), m.group(1)), value)
    argv, current, quoted, i = [], None, False, 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\" and text[i + 1] in '"`$\\':
            current, i = current + text[i + 1], i + 2
            continue
        if c == '"':
            quoted, current = not quoted, current or ""
        elif c == " " and not quoted:
            if current is not None:
                argv.append(current)
            current = None
        else:
            current = (current or "") + c
        i += 1
    if current is not None:
        argv.append(current)
    return [a.replace("%%", "%") for a in argv]


def magic_matches(package: Path, data: bytes) -> bool:
    """The package's magic rules on the data, as the shared-mime-info spec defines them: a
    match holds if its value is at one of its offsets (a range is inclusive) and, if it
    has nested matches, one of them holds too. Only string matches: all the package has."""

    def holds(match: ET.Element) -> bool:
        assert match.get("type") == "string" and "\\" not in match.get("value")
        value = match.get("value").encode()
        start, _, end = match.get("offset").partition(":")
        found = any(data[i:i + len(value)] == value for i in range(int(start), int(end or start) + 1))
        nested = match.findall(f"{NS}match")
        return found and (not nested or any(holds(m) for m in nested))

    magic = ET.parse(package).getroot().find(f"{NS}mime-type/{NS}magic")
    return any(holds(m) for m in magic.findall(f"{NS}match"))


def test_install_writes_every_file_and_says_so(home, capsys):
    assert cli_main(["--install-desktop"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("wrote ")] == [
        f"wrote {home / f}" for f in LINUX_FILES]
    icons = resource_dir() / "icons"
    assert (home / "icons/hicolor/256x256/apps/backprop-gui.png").read_bytes() == (
        icons / "backprop-gui.png").read_bytes()
    assert (home / "icons/hicolor/scalable/apps/backprop-gui.svg").read_bytes() == (
        icons / "backprop-gui.svg").read_bytes()
    for tool in ("update-mime-database", "update-desktop-database", "xdg-mime"):
        assert any(tool in line for line in out)  # run, or skipped: either way said

    desktop = entry(home / DESKTOP_FILE)
    assert desktop["Type"] == "Application" and desktop["Name"] == "backprop-gui"
    assert desktop["Comment"] and desktop["Icon"] == "backprop-gui"
    assert desktop["Terminal"] == "false" and desktop["Categories"] == "Education;Science;"
    assert desktop["MimeType"] == f"{MIME_TYPE};"
    assert exec_argv(desktop["Exec"]) == [*desktop_install.program_command(), "%f"]

    root = ET.parse(home / MIME_FILE).getroot()
    mime = root.find(f"{NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert mime.find(f"{NS}sub-class-of").get("type") == "application/json"
    glob = mime.find(f"{NS}glob")
    assert glob.get("pattern") == "*.json" and int(glob.get("weight")) < 50  # below JSON's


def test_the_exec_line_quotes_a_path_with_spaces_and_odd_characters():
    program = '/opt/my apps/back$prop "1" `x` 50%\\bin/backprop-gui'
    line = desktop_entry([program, "-m", "backprop_gui"]).split("\nExec=")[1].split("\n")[0]
    assert line.startswith('"') and "%%" in line and "\\\\\\\\" in line  # \ becomes \\\\
    assert exec_argv(line) == [program, "-m", "backprop_gui", "%f"]
    assert exec_argv(desktop_entry(["/usr/bin/backprop-gui"]).split("Exec=")[1].split("\n")[0]) == [
        "/usr/bin/backprop-gui", "%f"]  # nothing to quote: left as it is


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_magic_claims_every_project_and_lab(home, path):
    install_linux(say=lambda line: None, command=["backprop-gui"])
    assert magic_matches(home / MIME_FILE, path.read_bytes())


def test_the_magic_claims_a_project_the_program_saved_and_no_other_json(home, tmp_path):
    install_linux(say=lambda line: None, command=["backprop-gui"])
    saved = tmp_path / "saved.json"
    save_project(load_project(resource_dir() / "projects" / "diabetes.json"), saved)
    assert magic_matches(home / MIME_FILE, saved.read_bytes())
    for other in (b'{"a": 1}', b'{"format": 1, "a": 2}', b'{"$schema": "x", "dataset": 1}',
                  b'[{"format": 1, "dataset": {}}]', b""):
        assert not magic_matches(home / MIME_FILE, other), other


@pytest.mark.skipif(not HAVE_MIME_TOOLS, reason="needs update-mime-database and gio")
def test_the_desktop_sees_projects_and_labs_as_ours_and_plain_json_as_json(home, tmp_path):
    install_linux(say=lambda line: None)

    def content_type(path: Path) -> str:
        out = subprocess.run(["gio", "info", "-a", "standard::content-type", str(path)],
                             capture_output=True, text=True, check=True).stdout
        return out.strip().rsplit(": ", 1)[-1]

    (tmp_path / "my project.json").write_bytes(PROJECT_FILES[0].read_bytes())
    (tmp_path / "plain.json").write_text('{"a": 1}')
    assert content_type(tmp_path / "my project.json") == MIME_TYPE
    assert content_type(resource_dir() / "labs" / "01-xor.json") == MIME_TYPE
    assert content_type(tmp_path / "plain.json") == "application/json"


@pytest.mark.skipif(not (HAVE_MIME_TOOLS and (shutil.which("update-desktop-database")
                                              or shutil.which("xdg-mime"))),
                    reason="needs update-mime-database, gio, and update-desktop-database or xdg-mime")
def test_gio_open_runs_the_installed_program_with_the_file(home, tmp_path, qtbot):
    """What a file manager's double-click does; the program is a stand-in script, in a
    folder whose name needs every kind of Exec quoting (GLib looks a program up before
    undoing %%, so a % in the program's path is the one thing it cannot find)."""
    folder = tmp_path / 'odd $dir "q" `b` back\\slash'
    folder.mkdir()
    program, argv = folder / "fake program", tmp_path / "argv.txt"
    program.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{argv}.tmp' && mv '{argv}.tmp' '{argv}'\n")
    program.chmod(0o755)
    install_linux(say=lambda line: None, command=[str(program)])
    project = tmp_path / "my lab.json"
    project.write_bytes((resource_dir() / "labs" / "01-xor.json").read_bytes())
    subprocess.run(["gio", "open", str(project)], check=True, timeout=30)
    qtbot.waitUntil(argv.exists, timeout=10_000)
    assert argv.read_text().splitlines() == [str(project)]


def test_install_twice_is_fine_and_uninstall_removes_exactly_that(home, tmp_path, capsys):
    config = tmp_path / "config"
    config.mkdir()
    theirs = {home / "applications/other.desktop": b"[Desktop Entry]\nName=Other\n",
              home / "mime/packages/other.xml": b"<mime-info/>\n",
              home / "icons/hicolor/256x256/apps/other.png": b"png",
              config / "mimeapps.list": b"[Default Applications]\ntext/plain=other.desktop\n"}
    for path, content in theirs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    assert desktop_install.main() == 0
    first = {f: (home / f).read_bytes() for f in LINUX_FILES}
    assert desktop_install.main() == 0
    assert {f: (home / f).read_bytes() for f in LINUX_FILES} == first
    capsys.readouterr()

    assert desktop_install.main(uninstall=True) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("removed /")] == [
        f"removed {home / f}" for f in LINUX_FILES]
    assert not any((home / f).exists() for f in LINUX_FILES)
    assert {path: path.read_bytes() for path in theirs} == theirs  # mimeapps.list: as it was
    assert desktop_install.main(uninstall=True) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_missing_desktop_tools_are_said_not_fatal(home, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    install_linux(command=["backprop-gui"])
    out = capsys.readouterr().out
    assert "skipped update-mime-database (not installed: it comes with shared-mime-info)" in out
    assert "skipped xdg-mime" in out and all((home / f).is_file() for f in LINUX_FILES)
    uninstall_linux()
    assert not any((home / f).exists() for f in LINUX_FILES)


def test_an_unwritable_target_is_one_line_and_exit_1(tmp_path):
    blocker = tmp_path / "not a folder"
    blocker.write_text("a file where the data folder should be")
    env = dict(os.environ, XDG_DATA_HOME=str(blocker), XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "backprop_gui", "--install-desktop"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"backprop-gui: cannot write {blocker / DESKTOP_FILE}: Not a directory"]


def test_the_command_needs_no_qt(home):
    """It runs headless (a server, a terminal): Qt is never imported."""
    code = ("import sys; from backprop_gui.cli import main; status = main(['--install-desktop']); "
            "sys.exit(status or 3 * any(m.startswith('PySide6') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert (home / DESKTOP_FILE).is_file()


def test_the_command_takes_no_other_command(capsys):
    for argv in (["--install-desktop", "train", "x.json"], ["--uninstall-desktop", "--self-test"],
                 ["--install-desktop", "--uninstall-desktop"]):
        with pytest.raises(SystemExit) as exited:
            cli_main(argv)
        assert exited.value.code == 2 and "usage:" in capsys.readouterr().err


def test_the_program_is_the_frozen_executable_else_the_script_else_python(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert desktop_install.program_command() == [os.path.abspath(sys.executable)]
    monkeypatch.delattr(sys, "frozen")
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    monkeypatch.setattr(desktop_install.sysconfig, "get_path", lambda name: str(scripts))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert desktop_install.program_command() == [os.path.abspath(sys.executable), "-m", "backprop_gui"]
    (scripts / "backprop-gui").write_text("#!/bin/sh\n")
    (scripts / "backprop-gui").chmod(0o755)
    assert desktop_install.program_command() == [str(scripts / "backprop-gui")]


def test_only_our_entry_leaves_mimeapps_list():
    text = ("[Default Applications]\ntext/plain=gedit.desktop\n"
            f"{MIME_TYPE}=backprop-gui.desktop\n[Added Associations]\n"
            f"{MIME_TYPE}=other.desktop;backprop-gui.desktop;\nimage/png=eog.desktop")
    assert without_default(text) == ("[Default Applications]\ntext/plain=gedit.desktop\n"
                                     f"[Added Associations]\n{MIME_TYPE}=other.desktop;\n"
                                     "image/png=eog.desktop")
    assert without_default("[Default Applications]\ntext/plain=gedit.desktop\n") == (
        "[Default Applications]\ntext/plain=gedit.desktop\n")


def test_a_frozen_program_runs_the_tools_with_the_users_library_path(monkeypatch):
    """The bootloader's own libraries first on LD_LIBRARY_PATH would reach the system's
    update-mime-database; the user's path (saved in LD_LIBRARY_PATH_ORIG) goes instead."""
    environment = desktop_install._system_environment
    monkeypatch.setenv("LD_LIBRARY_PATH", "/bundle:/mine")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/mine")
    assert environment()["LD_LIBRARY_PATH"] == "/bundle:/mine"  # not frozen: as it is
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert environment()["LD_LIBRARY_PATH"] == "/mine"
    assert "LD_LIBRARY_PATH_ORIG" not in environment()
    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG")
    assert "LD_LIBRARY_PATH" not in environment()
