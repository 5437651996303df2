"""Linked open data: the public records as RDF (schema.org, VIVO and Passerelle's own terms),
their IRIs, the SHACL shapes the dataset keeps, and the files it is published as.

Ingest layer: it reads activities, registry and core; the portal serves what it builds.
"""
