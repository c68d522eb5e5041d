"""Where the app keeps its data: the user's data directory, never the install folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

from workbench import APP_NAME

HOME_ENV = "WORKBENCH_HOME"  # overrides the data directory (tests, portable installs)
PROJECT_SUFFIX = ".wbproj"


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    return Path(override, "logs") if override else user_log_path(APP_NAME, appauthor=False)


def default_project_path() -> Path:
    """The project used when none is named: created on first run with the sample corpus."""
    return data_dir() / f"default{PROJECT_SUFFIX}"
