"""Offline annotation workbench for Arabic conflict news."""

__version__ = "0.1.0"
APP_ID = "org.arabicnlp.workbench"
APP_NAME = "Workbench"
