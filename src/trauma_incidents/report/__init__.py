"""
The evidence report for a governance meeting or an inspection (``trauma-incidents report``).

`build_report` gathers the figures, charts, open obligations and anonymised examples of a
batch as plain data (a dict ready for JSON); `render_html` (``[report]`` extra) and
`render_markdown` turn it into one self-contained document. Ids are pseudonymised unless
`ReportOptions` asks for real ones; no free text from a record is ever included.
"""

from __future__ import annotations

from trauma_incidents.report._data import ReportOptions, build_report
from trauma_incidents.report._html import render_html, render_markdown

__all__ = ["ReportOptions", "build_report", "render_html", "render_markdown"]
