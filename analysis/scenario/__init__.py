"""Scenarios: an analyst's what-if changes to a case, applied, described and saved."""
