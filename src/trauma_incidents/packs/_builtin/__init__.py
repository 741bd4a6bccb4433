"""The packs that ship with the library: ``core``, ``england``."""
