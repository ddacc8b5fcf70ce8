"""Entry point for `python -m app` and the installed `cre-toolkit` scripts."""

from __future__ import annotations

import sys

from app.cli import main


def gui_main() -> int:
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
