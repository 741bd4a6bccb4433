"""
The durable_rules backend: the declarative shapes compiled to Rete rulesets.

``pip install trauma-incidents[durable]`` on Python 3.10 to 3.12; on 3.13, durable-rules
built from source (``docs/backends.md`` gives the command). This module imports on any
Python; constructing a `DurableEngine` where durable_rules cannot be imported raises
`BackendUnavailableError` at once, saying why and what to use instead.

>>> from datetime import datetime, timezone
>>> from trauma_incidents import RuleSet
>>> with DurableEngine(RuleSet.compile()) as engine:  # doctest: +SKIP
...     report = engine.evaluate(incidents, at=datetime(2026, 5, 1, tzinfo=timezone.utc))
...     report.backends["DB001"]
'durable'
"""

from __future__ import annotations

from trauma_incidents.backends._durable import DurableEngine, available

__all__ = ["DurableEngine", "available"]
