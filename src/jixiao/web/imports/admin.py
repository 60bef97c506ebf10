"""Imports are managed through their own pages; the Django admin is not mounted."""
