"""provenance: trace where a claim came from."""

__version__ = "0.1.0"
