"""``python -m leadroi.cli``: the ``leadroi`` command."""

import sys

from leadroi.cli import main

sys.exit(main())
