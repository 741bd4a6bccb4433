"""
The command line: ``trauma-incidents check|rules|explain|schema|test|report|demo``.

`main` is the entry point (``trauma-incidents``, ``python -m trauma_incidents``). One private
module per part: the parser and handlers (``_main``), the ``check`` pipeline (``_check``) and
its worker processes (``_jobs``), the output writers (``_writers``), the rule catalogue
(``_catalogue``) and the demo (``_demo``). ``check`` reads the clock once, when ``--at`` is not
given; nothing else does.
"""

from __future__ import annotations

from trauma_incidents.cli._main import main

__all__ = ["main"]
