"""What a one-folder build asks of the system it runs on beyond the packages the README
names for another Linux. The bundle carries its X11 client libraries only if the build
machine had them: where it lacked one (a server built from, with no desktop libraries),
PyInstaller warns in passing and bundles nothing, and the build then shows no window on a
machine without that library. build.sh prints what this finds; the frozen test fails on it.

    python packaging/system_libraries.py dist/backprop-gui    # exit 1 if something is asked
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

#: what the README's packages give (libgl1 libegl1 libxcb1 and what they depend on) and the
#: C library every Linux has
FROM_THE_SYSTEM = frozenset({
    "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1",
    "libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2", "linux-vdso.so.1",
    "libGL.so.1", "libGLX.so.0", "libGLdispatch.so.0", "libEGL.so.1",
    "libxcb.so.1", "libXau.so.6", "libXdmcp.so.6", "libbsd.so.0", "libmd.so.0",
})
#: a line of ldd's answer: "libxcb.so.1 => /lib/.../libxcb.so.1 (0x...)" or "... => not found"
LDD_LINE = re.compile(r"^\s*(\S+) => (not found|\S+)")


def asked_of_the_system(bundle: Path) -> dict[str, str]:
    """Each library the bundle's binaries need that is neither in the bundle nor in
    FROM_THE_SYSTEM, with where this machine has it ("not found" if nowhere). ldd resolves
    against the bundle's folders first, as the frozen program's loader does."""
    binaries = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()
                and (".so" in p.name or p.name == bundle.name)]
    folders = sorted({str(p.parent) for p in binaries if ".so" in p.name})
    env = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(folders))
    asked: dict[str, str] = {}
    for binary in binaries:
        answer = subprocess.run(["ldd", str(binary)], env=env, capture_output=True, text=True)
        for line in answer.stdout.splitlines():
            match = LDD_LINE.match(line)
            if match is None:
                continue
            name, where = match.groups()
            inside = where != "not found" and Path(where).resolve().is_relative_to(bundle.resolve())
            if not inside and name not in FROM_THE_SYSTEM:
                asked[name] = where
    return asked


def debian_package(soname: str) -> str:
    """Debian's usual name for the package of a library: libxcb-icccm.so.4 is in
    libxcb-icccm4 (a name ending in a digit takes a dash: libfoo2.so.1, libfoo2-1)."""
    stem, _, version = soname.partition(".so.")
    return (stem + ("-" if stem[-1:].isdigit() else "") + version.split(".")[0]).lower()


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python packaging/system_libraries.py dist/backprop-gui", file=sys.stderr)
        return 2
    asked = asked_of_the_system(Path(argv[0]))
    lacking = sorted(name for name, where in asked.items() if where == "not found")
    left_out = sorted(name for name, where in asked.items() if where != "not found")
    if lacking:
        print(f"build.sh: WARNING: this machine lacks {', '.join(lacking)}, so the build does "
              "not carry them and shows no window where they are missing. Install them here and "
              f"build again: sudo apt-get install {' '.join(map(debian_package, lacking))}",
              file=sys.stderr)
    if left_out:
        print(f"build.sh: WARNING: the build takes {', '.join(left_out)} from the system it "
              "runs on: bundle them (packaging/backprop-gui.spec), or add them to the README's "
              "packages for another Linux and to FROM_THE_SYSTEM in packaging/system_libraries.py",
              file=sys.stderr)
    return 1 if asked else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
