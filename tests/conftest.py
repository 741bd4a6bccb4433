"""Shared test configuration: hypothesis profiles (``FAST=1`` selects the quick one)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

pytest_plugins = ("pytester",)

settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.register_profile("fast", max_examples=25, deadline=None)
settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    "fast" if os.environ.get("FAST") else os.environ.get("HYPOTHESIS_PROFILE", "dev")
)
