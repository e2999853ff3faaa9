"""Provides the app's screens: home, one per meeting step, and the dialogs."""
