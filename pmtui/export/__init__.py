"""Provides every way a postmortem leaves or enters pmtui as a file: YAML, JSON, Markdown,
HTML, Correction of Errors, tracker exports and safe file writing. Imports only the domain.
"""
