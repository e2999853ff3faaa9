"""Provides the reusable widgets; each carries its own DEFAULT_CSS and never touches the store."""
