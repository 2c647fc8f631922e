"""`python -m backprop_gui`: the same as the `backprop-gui` command."""

import gc
import sys

gc.disable()  # a quiet start (see cli._window), from before the imports below

from .cli import main  # noqa: E402

sys.exit(main())
