"""Insights: the network measured (degree, betweenness, constraint, communities, brokerage
roles) and the figures funders ask for, computed from the records for the pages, the
reports and the command line above it."""
