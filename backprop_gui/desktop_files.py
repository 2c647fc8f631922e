"""What --install-desktop writes on Linux, as text: the desktop entry (with its Exec
line quoted as the Desktop Entry spec says) and the shared-mime-info package that tells
our project and lab files from other JSON by their content."""

from __future__ import annotations

APP_ID = "backprop-gui"
DESKTOP_ID = f"{APP_ID}.desktop"
MIME_TYPE = "application/x-backprop-gui-project"

# Our files are JSON, so the type is a kind of application/json known by its content: an
# object whose first key is "format" and which has a "dataset". The `*.json` glob is what
# makes GLib and Qt read the content at all (with a single name match they trust the
# name); its weight is below application/json's 50 so a plain JSON file stays
# application/json (measured with `gio info` and QMimeDatabase: at 50, both claimed
# `{"a": 1}` as ours). Priority 80 lets GLib take the content match over the name.
MIME_PACKAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>backprop-gui project</comment>
    <sub-class-of type="application/json"/>
    <icon name="{APP_ID}"/>
    <glob pattern="*.json" weight="40"/>
    <magic priority="80">
      <match type="string" value="{{" offset="0">
        <match type="string" value="&quot;format&quot;:" offset="1:64">
          <match type="string" value="&quot;dataset&quot;:" offset="1:4096"/>
        </match>
      </match>
    </magic>
  </mime-type>
</mime-info>
"""

#: the characters that make the Desktop Entry spec's Exec key quote an argument
EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`=")


def exec_argument(argument: str) -> str:
    """One argument of an Exec line (Desktop Entry spec, "The Exec key"): quoted if it
    holds a reserved character, with ", `, $ and \\ escaped inside the quotes; % doubled,
    since a single one starts a field code. (GLib looks the program up before it undoes
    %%, so a program whose path holds a % is not found there: the spec's way is kept.)"""
    if argument and not EXEC_RESERVED & set(argument):
        quoted = argument
    else:
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        quoted = f'"{escaped}"'
    return quoted.replace("%", "%%")


def escape_value(text: str) -> str:
    """A desktop file's string escapes, applied after the Exec quoting (so one backslash in
    a path becomes four)."""
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def desktop_entry(command: list[str]) -> str:
    """The desktop entry: the program in the menu, and the handler of our MIME type (%f:
    one file per program started)."""
    exec_line = " ".join(exec_argument(a) for a in command) + " %f"
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",  # 1.5 adds nothing used here, and older validators reject it
        "Name=backprop-gui",
        "GenericName=Neural network trainer",
        "Comment=Watch backpropagation train a neural network",
        f"Exec={escape_value(exec_line)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Education;Science;",
        f"MimeType={MIME_TYPE};",
        "Keywords=neural network;backpropagation;gradient descent;machine learning;",
        "StartupNotify=true",
        "",
    ])
