"""The Django admin is not mounted: administration goes through audited pages."""
