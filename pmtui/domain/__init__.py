"""Provides the postmortem document and the rules over it; imports no UI and no storage."""
