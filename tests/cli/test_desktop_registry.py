"""`backprop-gui --install-desktop` on Windows, as data (checked on any system): the
per-user ProgID that opens a file with the program, listed in .json's OpenWithProgids so
"Open with" offers it, and nothing that takes .json from the program that opens it now.
The thin writer runs over a stand-in for winreg (the real one exists only on Windows)."""

import sys

from backprop_gui.desktop_registry import (
    OPEN_WITH_KEY,
    PROG_ID,
    PROG_KEY,
    RegistryValue,
    open_command,
    owned_keys,
    registry_entries,
)

EXE = "C:\\Program Files\\backprop-gui\\backprop-gui.exe"


def test_the_entries_of_the_frozen_program():
    assert registry_entries([EXE]) == [
        RegistryValue("Software\\Classes\\backprop-gui.project", "", "backprop-gui project"),
        RegistryValue("Software\\Classes\\backprop-gui.project", "FriendlyTypeName",
                      "backprop-gui project"),
        RegistryValue("Software\\Classes\\backprop-gui.project\\DefaultIcon", "", f"{EXE},0"),
        RegistryValue("Software\\Classes\\backprop-gui.project\\shell\\open\\command", "",
                      f'"{EXE}" "%1"'),
        RegistryValue("Software\\Classes\\.json\\OpenWithProgids", "backprop-gui.project", None),
    ]


def test_python_running_the_package_quotes_the_program_and_the_file():
    python = "C:\\Users\\Ada Lovelace\\venv\\Scripts\\python.exe"
    assert open_command([python, "-m", "backprop_gui"]) == f'"{python}" -m backprop_gui "%1"'


def test_everything_is_per_user_and_json_stays_with_its_program():
    entries = registry_entries([EXE])
    assert all(e.key.startswith("Software\\Classes\\") for e in entries)  # under HKCU
    json_values = [e for e in entries if e.key.startswith("Software\\Classes\\.json")]
    assert json_values == [RegistryValue(OPEN_WITH_KEY, PROG_ID, None)]  # not .json's default


def test_uninstall_deletes_the_keys_it_made_deepest_first_and_no_shared_one():
    made = {e.key for e in registry_entries([EXE])} - {OPEN_WITH_KEY}
    keys = owned_keys()
    assert made <= set(keys) and all(k == PROG_KEY or k.startswith(PROG_KEY + "\\") for k in keys)
    for i, key in enumerate(keys):  # a key goes only after every key inside it
        assert not any(other.startswith(key + "\\") for other in keys[i + 1:])


class FakeRegistry:
    """The few winreg calls the writer makes, over a dict (key -> {name: (type, data)}),
    with the real API's rules: keys are created with their parents, a key with subkeys
    cannot be deleted, and anything missing raises FileNotFoundError."""

    HKEY_CURRENT_USER, KEY_SET_VALUE, REG_SZ, REG_NONE = "HKCU", 2, 1, 0

    def __init__(self):
        self.keys: dict[str, dict] = {}

    def CreateKeyEx(self, hive, key, reserved, access):  # noqa: N802 - winreg's names
        parts = key.split("\\")
        for i in range(1, len(parts) + 1):
            self.keys.setdefault("\\".join(parts[:i]).lower(), {})
        return _Handle(self.keys[key.lower()])

    def OpenKey(self, hive, key, reserved, access):  # noqa: N802
        if key.lower() not in self.keys:
            raise FileNotFoundError(key)
        return _Handle(self.keys[key.lower()])

    def SetValueEx(self, handle, name, reserved, kind, data):  # noqa: N802
        handle.values[name] = (kind, data)

    def DeleteValue(self, handle, name):  # noqa: N802
        if name not in handle.values:
            raise FileNotFoundError(name)
        del handle.values[name]

    def DeleteKey(self, hive, key):  # noqa: N802
        key = key.lower()
        if key not in self.keys:
            raise FileNotFoundError(key)
        if any(k.startswith(key + "\\") for k in self.keys):
            raise PermissionError(5, "Access is denied")
        del self.keys[key]


class _Handle:
    def __init__(self, values):
        self.values = values

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_install_then_uninstall_leaves_the_registry_as_it_was(monkeypatch):
    from backprop_gui import desktop_registry

    registry = FakeRegistry()
    monkeypatch.setitem(sys.modules, "winreg", registry)
    monkeypatch.setattr(desktop_registry, "_tell_explorer", lambda: None)
    json_key = "Software\\Classes\\.json"
    with registry.CreateKeyEx("HKCU", json_key, 0, 2) as key:  # an editor's association
        registry.SetValueEx(key, "", 0, registry.REG_SZ, "Editor.json")
    with registry.CreateKeyEx("HKCU", OPEN_WITH_KEY, 0, 2) as key:
        registry.SetValueEx(key, "Editor.json", 0, registry.REG_NONE, None)
    before = {k: dict(v) for k, v in registry.keys.items()}
    said = []
    desktop_registry.install_windows([EXE], said.append)
    assert said == [f"wrote HKCU\\{e.key}" + (f" ({e.name})" if e.name else "")
                    for e in registry_entries([EXE])]
    command = registry.keys[f"{PROG_KEY}\\shell\\open\\command".lower()][""]
    assert command == (registry.REG_SZ, f'"{EXE}" "%1"')
    assert registry.keys[json_key.lower()][""] == (registry.REG_SZ, "Editor.json")  # still
    desktop_registry.install_windows([EXE], said.append)  # twice: the same
    said.clear()
    desktop_registry.uninstall_windows(said.append)
    assert registry.keys == before and len(said) == 1 + len(owned_keys())
    desktop_registry.uninstall_windows(said.append)
    assert said[-1].startswith("nothing to remove")
