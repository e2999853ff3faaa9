"""Provides the impact step (placeholder until its screen is built)."""

from __future__ import annotations

from pmtui.screens.base import StepScreen


class ImpactScreen(StepScreen):
    STEP = "impact"
