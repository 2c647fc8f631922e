"""`backprop-gui --install-desktop`: let the desktop open project and lab files with a
double-click, for this user only; `--uninstall-desktop` takes back exactly what it wrote.

On Linux (freedesktop.org desktops) it writes four files under $XDG_DATA_HOME (default
~/.local/share): a desktop entry that runs this copy of the program, a MIME type for our
files, and the icon in two sizes (their text: desktop_files.py); then it runs the
desktop's cache updaters that exist.
On Windows it writes per-user registry keys (desktop_registry.py). macOS needs no
install: the app bundle declares the files, and Finder's double-click reaches the running
program as a QFileOpenEvent (app/file_open.py).

No Qt here: the command runs headless, from the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

from .desktop_files import APP_ID, DESKTOP_ID, MIME_PACKAGE, MIME_TYPE, desktop_entry
from .resources import resource_dir

#: where the install puts each file, under the data home (the icons: from resources/icons)
DESKTOP_FILE = Path("applications", DESKTOP_ID)
MIME_FILE = Path("mime", "packages", f"{APP_ID}.xml")
ICON_FILES = {
    Path("icons", "hicolor", "256x256", "apps", f"{APP_ID}.png"): f"icons/{APP_ID}.png",
    Path("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg"): f"icons/{APP_ID}.svg",
}
LINUX_FILES = (DESKTOP_FILE, MIME_FILE, *ICON_FILES)

#: the desktop tools the install runs when they are installed, and the package that has each
TOOL_PACKAGES = {"update-mime-database": "shared-mime-info",
                 "update-desktop-database": "desktop-file-utils", "xdg-mime": "xdg-utils",
                 "gtk-update-icon-cache": "GTK"}

Say = Callable[[str], None]


class InstallError(Exception):
    """A file that cannot be written or removed: the message is one line for the user."""


def program_command() -> list[str]:
    """The command that starts this copy of the program: the frozen executable, else the
    `backprop-gui` script of this Python environment (or the first on PATH), else this
    Python running the package. Absolute, since a desktop's PATH is not the shell's."""
    if getattr(sys, "frozen", False):
        return [os.path.abspath(sys.executable)]
    search = os.pathsep.join(filter(None, [sysconfig.get_path("scripts"), os.environ.get("PATH")]))
    script = shutil.which(APP_ID, path=search)
    if script:
        return [os.path.abspath(script)]
    return [os.path.abspath(sys.executable), "-m", "backprop_gui"]


def xdg_dir(variable: str, default: str) -> Path:
    """An XDG base directory: the variable if it holds an absolute path (the spec says to
    ignore a relative one), else its default under the home folder."""
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / default


def data_home() -> Path:
    return xdg_dir("XDG_DATA_HOME", ".local/share")


def config_home() -> Path:
    return xdg_dir("XDG_CONFIG_HOME", ".config")


def linux_files(command: list[str]) -> dict[Path, bytes]:
    """What the install writes, by path under the data home."""
    files = {DESKTOP_FILE: desktop_entry(command).encode(), MIME_FILE: MIME_PACKAGE.encode()}
    for relative, resource in ICON_FILES.items():
        files[relative] = _read(resource_dir() / resource)
    return files


def install_linux(say: Say = print, command: list[str] | None = None) -> None:
    """Write the files (again, if they are there: the program may have moved), then tell
    the desktop. `command` is the program to start (by default this copy)."""
    home = data_home()
    for relative, content in linux_files(command or program_command()).items():
        path = home / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:
            raise InstallError(f"cannot write {path}: {exc.strerror or exc}") from None
        say(f"wrote {path}")
    _update_caches(home, say)
    _run(["xdg-mime", "default", DESKTOP_ID, MIME_TYPE], say,
         f"made backprop-gui the default for {MIME_TYPE}")


def uninstall_linux(say: Say = print) -> None:
    """Remove the files the install writes and the default it set, nothing else; the
    desktop's caches are rebuilt without them (the databases themselves stay: they are
    the tools', shared with every other program's types)."""
    home = data_home()
    removed = remove_each([home / relative for relative in LINUX_FILES], Path.unlink, say)
    for mimeapps in (config_home() / "mimeapps.list", home / "applications" / "mimeapps.list"):
        _forget_default(mimeapps, say)
    if removed:
        _update_caches(home, say)
    else:
        say(f"nothing to remove: backprop-gui was not installed in {home}")


def remove_each(names: list, remove: Callable, say: Say, prefix: str = "", suffix: str = "") -> bool:
    """remove(name) for each name (a file, a registry key) that is there, saying so;
    whether any was."""
    removed = False
    for name in names:
        where = f"{prefix}{name}{suffix}"
        try:
            remove(name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise InstallError(f"cannot remove {where}: {exc.strerror or exc}") from None
        say(f"removed {where}")
        removed = True
    return removed


def without_default(text: str, mime_type: str = MIME_TYPE, desktop_id: str = DESKTOP_ID) -> str:
    """mimeapps.list without our desktop entry for our type (what `xdg-mime default` wrote),
    every other line as it was; a line left with no entry goes."""
    lines = []
    for line in text.splitlines(keepends=True):
        key, equals, value = line.partition("=")
        if equals and key.strip() == mime_type:
            kept = [e for e in value.strip().split(";") if e and e != desktop_id]
            if not kept:
                continue
            line = f"{key}={';'.join(kept)};\n"
        lines.append(line)
    return "".join(lines)


def _forget_default(mimeapps: Path, say: Say) -> None:
    try:
        text = mimeapps.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # no such file (or not ours to read): nothing of ours in it
    kept = without_default(text)
    if kept != text:
        try:
            mimeapps.write_text(kept, encoding="utf-8")
        except OSError as exc:
            raise InstallError(f"cannot write {mimeapps}: {exc.strerror or exc}") from None
        say(f"removed the default for {MIME_TYPE} from {mimeapps}")


def _update_caches(home: Path, say: Say) -> None:
    """Tell the desktop about the files: each tool only if it is installed. The icon cache
    is refreshed only if there is one (without it, GTK looks at the folders themselves)."""
    _run(["update-mime-database", str(home / "mime")], say, "updated the MIME database")
    _run(["update-desktop-database", "-q", str(home / "applications")], say,
         "updated the desktop entries' cache")
    hicolor = home / "icons" / "hicolor"
    if (hicolor / "icon-theme.cache").is_file():
        _run(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)], say,
             "updated the icon cache")


def _run(command: list[str], say: Say, done: str) -> None:
    """Run a desktop tool if it is on PATH; its absence or failure is said, not fatal: the
    files are in place, and running the install again once the tool is there finishes."""
    if shutil.which(command[0]) is None:
        say(f"skipped {command[0]} (not installed: it comes with {TOOL_PACKAGES[command[0]]})")
        return
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                env=_system_environment())
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"backprop-gui: warning: {command[0]} did not run: {exc}", file=sys.stderr)
        return
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"backprop-gui: warning: {command[0]} failed (exit {result.returncode}): {last}",
              file=sys.stderr)
    else:
        say(f"{done} ({' '.join(command)})")


def _system_environment() -> dict[str, str]:
    """The environment for a system tool: a frozen program's bootloader may put its own
    libraries first on LD_LIBRARY_PATH (keeping the user's in LD_LIBRARY_PATH_ORIG), and
    the system's tools must not load those (PyInstaller's "LD_LIBRARY_PATH considerations")."""
    env = dict(os.environ)
    if getattr(sys, "frozen", False) and "LD_LIBRARY_PATH" in env:
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is None:
            del env["LD_LIBRARY_PATH"]
        else:
            env["LD_LIBRARY_PATH"] = original
    return env


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InstallError(f"cannot read {path}: {exc.strerror or exc} (a damaged "
                           "install: reinstall backprop-gui)") from None


def main(uninstall: bool = False, say: Say = print) -> int:
    """The command: 0 done, 1 a file could not be written (one line on stderr)."""
    try:
        if sys.platform == "win32":
            from .desktop_registry import install_windows, uninstall_windows

            if uninstall:
                uninstall_windows(say)
            else:
                install_windows(program_command(), say)
        elif sys.platform == "darwin":
            say("nothing to install on macOS: the app bundle (packaging/build.sh) declares "
                "the files Finder opens with it")
        elif uninstall:
            uninstall_linux(say)
        else:
            install_linux(say)
    except InstallError as exc:
        print(f"backprop-gui: {exc}", file=sys.stderr)
        return 1
    return 0
