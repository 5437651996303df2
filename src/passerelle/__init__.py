"""Passerelle: the system of record and public window of a research cluster's international
relations."""

__version__ = "0.1.0"
