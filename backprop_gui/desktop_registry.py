"""Windows: per-user registry entries that let Explorer open project and lab files with
backprop-gui, under HKEY_CURRENT_USER\\Software\\Classes (no administrator needed).

A ProgID, `backprop-gui.project`, says how to open a file; `.json\\OpenWithProgids` lists
it, so "Open with" offers backprop-gui for .json files without taking them from the
editor that opens them now (Windows cannot tell our JSON from another's; the user can
make it the default there). The entries are plain data, built by a pure function that a
test checks on any system; only the thin writer imports winreg."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from .desktop_install import InstallError, remove_each

PROG_ID = "backprop-gui.project"
CLASSES = "Software\\Classes"
PROG_KEY = f"{CLASSES}\\{PROG_ID}"
OPEN_WITH_KEY = f"{CLASSES}\\.json\\OpenWithProgids"
TYPE_NAME = "backprop-gui project"
HIVE = "HKCU"
SHCNE_ASSOCCHANGED = 0x08000000


@dataclass(frozen=True)
class RegistryValue:
    """One value under HKEY_CURRENT_USER: `name` "" is the key's default value; `data` None
    is an empty REG_NONE (what OpenWithProgids lists hold), else a REG_SZ string."""

    key: str
    name: str
    data: str | None


def open_command(command: list[str]) -> str:
    """The shell\\open\\command line: the program quoted, then "%1" (the file, quoted
    because its path may hold spaces)."""
    program, *arguments = command
    return " ".join([f'"{program}"', *(subprocess.list2cmdline([a]) for a in arguments), '"%1"'])


def registry_entries(command: list[str]) -> list[RegistryValue]:
    """What the install writes, in the order it writes it. The icon is the program's first
    icon (the frozen executable carries ours; a Python script shows Windows' default)."""
    return [
        RegistryValue(PROG_KEY, "", TYPE_NAME),
        RegistryValue(PROG_KEY, "FriendlyTypeName", TYPE_NAME),
        RegistryValue(f"{PROG_KEY}\\DefaultIcon", "", f"{command[0]},0"),
        RegistryValue(f"{PROG_KEY}\\shell\\open\\command", "", open_command(command)),
        RegistryValue(OPEN_WITH_KEY, PROG_ID, None),
    ]


def owned_keys() -> list[str]:
    """The keys the install creates and the uninstall deletes, deepest first (a key must be
    empty of subkeys to go). `.json` and its OpenWithProgids are shared: only our value
    in it goes."""
    return [f"{PROG_KEY}\\shell\\open\\command", f"{PROG_KEY}\\shell\\open",
            f"{PROG_KEY}\\shell", f"{PROG_KEY}\\DefaultIcon", PROG_KEY]


def install_windows(command: list[str], say: Callable[[str], None] = print) -> None:
    import winreg

    for value in registry_entries(command):
        try:
            with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, value.key, 0,
                                    winreg.KEY_SET_VALUE) as key:
                if value.data is None:
                    winreg.SetValueEx(key, value.name, 0, winreg.REG_NONE, None)
                else:
                    winreg.SetValueEx(key, value.name, 0, winreg.REG_SZ, value.data)
        except OSError as exc:
            raise InstallError(f"cannot write {_where(value)}: {exc.strerror or exc}") from None
        say(f"wrote {_where(value)}")
    _tell_explorer()


def uninstall_windows(say: Callable[[str], None] = print) -> None:
    import winreg

    def forget_prog_id(key_name: str) -> None:  # from the shared list: our value only
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_name, 0, winreg.KEY_SET_VALUE) as key:
            winreg.DeleteValue(key, PROG_ID)

    removed = remove_each([OPEN_WITH_KEY], forget_prog_id, say, prefix=f"{HIVE}\\",
                          suffix=f" ({PROG_ID})")
    removed = remove_each(owned_keys(), lambda name: winreg.DeleteKey(
        winreg.HKEY_CURRENT_USER, name), say, prefix=f"{HIVE}\\") or removed
    if removed:
        _tell_explorer()
    else:
        say("nothing to remove: backprop-gui was not registered for this user")


def _where(value: RegistryValue) -> str:
    return f"{HIVE}\\{value.key}" + (f" ({value.name})" if value.name else "")


def _tell_explorer() -> None:
    """Explorer caches associations: say they changed, so "Open with" shows it now."""
    import ctypes

    ctypes.windll.shell32.SHChangeNotify(SHCNE_ASSOCCHANGED, 0, None, None)
