#!/usr/bin/env bash
# Build the standalone executables with PyInstaller (packaging/backprop-gui.spec):
#   dist/backprop-gui/backprop-gui                       the one-folder build
#   dist/backprop-gui-onefile                            the one-file build
#   dist/backprop-gui-<version>-linux-x86_64.tar.gz      the one-folder build, archived
#
#   bash packaging/build.sh                 # all three
#   bash packaging/build.sh --onedir-only   # the one-folder build alone (what CI checks)
#
# Uses $PYTHON, else .venv/bin/python if there is one, else python3; installs PyInstaller
# 6.22 into that environment if it lacks it. Needs objdump (Debian: apt-get install binutils)
# and, for a build that shows a window on any desktop, Qt's X11 libraries on this machine
# (it bundles those it finds; it warns at the end about any it did not).
set -euo pipefail
cd "$(dirname "$0")/.."

onedir_only=""
for arg in "$@"; do
    case "$arg" in
        --onedir-only) onedir_only=1 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
    esac
done

if [ -n "${PYTHON:-}" ]; then py="$PYTHON"
elif [ -x .venv/bin/python ]; then py=.venv/bin/python
else py=python3
fi
if ! command -v objdump >/dev/null 2>&1; then
    echo "build.sh: PyInstaller needs objdump: install binutils (sudo apt-get install binutils)" >&2
    exit 1
fi
if ! "$py" -c "import backprop_gui, PySide6, pyqtgraph, numpy" 2>/dev/null; then
    echo "build.sh: $py lacks backprop-gui or its dependencies: $py -m pip install ." >&2
    exit 1
fi
if ! "$py" -c "import sys, PyInstaller; sys.exit(not PyInstaller.__version__.startswith('6.22.'))" 2>/dev/null; then
    echo "build.sh: installing PyInstaller 6.22 into $py's environment"
    "$py" -m pip install -q "pyinstaller==6.22.*"
fi

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' backprop_gui/__init__.py)
[ -n "$version" ] || { echo "build.sh: no __version__ in backprop_gui/__init__.py" >&2; exit 1; }
archive="dist/backprop-gui-$version-linux-$(uname -m).tar.gz"

start=$SECONDS
"$py" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/backprop-gui.spec ${onedir_only:+-- --onedir-only}
echo "build.sh: built in $((SECONDS - start)) s"
du -sh dist/backprop-gui | sed 's/\t/  /;s/$/  (one-folder)/'
if [ -z "$onedir_only" ]; then
    rm -f "$archive"
    tar -czf "$archive" -C dist backprop-gui
    du -sh dist/backprop-gui-onefile "$archive" | sed 's/\t/  /'
fi
# the newest C library version any bundled file asks for: a machine with an older glibc
# cannot start the build (the README says which distributions that leaves)
glibc=$(find dist/backprop-gui -type f \( -name '*.so*' -o -name backprop-gui \) -exec objdump -T {} + \
        2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -V -u | tail -n 1 || true)
[ -z "$glibc" ] || echo "build.sh: it runs where glibc is ${glibc#GLIBC_} or newer (see: ldd --version)"
# a library the build takes from the machine it runs on, beyond the README's packages
# (one this machine lacked is not bundled): say so, loudly, with what to install
"$py" packaging/system_libraries.py dist/backprop-gui || true
echo "build.sh: check it with dist/backprop-gui/backprop-gui --self-test"
