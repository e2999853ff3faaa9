"""pmtui: run blameless postmortem meetings from the terminal."""

__version__ = "0.1.0"
