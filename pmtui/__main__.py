"""Provides ``python -m pmtui``."""

from pmtui.cli import main

main()
