"""`python -m backprop_gui`: the same as the `backprop-gui` command."""

import sys

from .cli import main

sys.exit(main())
