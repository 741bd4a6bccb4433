"""Run the command line: ``python -m trauma_incidents``."""

from trauma_incidents.cli import main

raise SystemExit(main())
