"""Lint: rules that find cards hard to learn or rendering badly."""
