"""Entry point of the frozen desktop app (PyInstaller runs this as a script)."""

import sys

from workbench.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
