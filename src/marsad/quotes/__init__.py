"""Quotations and reported speech with speakers."""
