"""The frozen program's entry point: the same command line as `workstation` in a checkout
(no argument, or only options, opens the window)."""

import sys

from workstation.cli import main

if __name__ == "__main__":
    sys.exit(main())
