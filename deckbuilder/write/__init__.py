"""Packages and lock files written whole or not at all."""
