"""Tests of the default rules, one module per family; shared helpers in `builders`."""
