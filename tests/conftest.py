"""Shared fixtures: every test works in a temporary project, never the user's files."""
