"""Sphinx configuration: Markdown pages through MyST, built with ``sphinx-build -n -W``."""

from __future__ import annotations

from importlib.metadata import version as _version

project = "trauma-incidents"
author = "trauma-incidents contributors"
copyright = "trauma-incidents contributors"  # noqa: A001 (Sphinx's name)
release = _version("trauma-incidents")
version = ".".join(release.split(".")[:2])

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

# Anchors for headings down to level 3, made as GitHub makes them, so that links such as
# rules.md#db001-staff-debrief work both on GitHub and in the built docs.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

html_theme = "alabaster"
html_title = f"trauma-incidents {release}"
