"""Frozen entry point: the same command line as `python -m app` (no args opens the app)."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
