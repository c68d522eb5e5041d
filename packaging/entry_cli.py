"""Entry point of the frozen ``workbench-cli`` (PyInstaller runs this as a script)."""

from workbench.cli import main

if __name__ == "__main__":
    main()
