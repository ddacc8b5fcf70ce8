"""Helpers shared by the test folders: one definition each, imported where needed."""
