"""Agents: the LangGraph workflow that reads, matches, validates and decides. Knows nothing about SQL."""
