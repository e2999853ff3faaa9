"""Provides the timeline step (placeholder until its screen is built)."""

from __future__ import annotations

from pmtui.screens.base import StepScreen


class TimelineScreen(StepScreen):
    STEP = "timeline"
