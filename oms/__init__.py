"""Composition root: settings, bootstrap and the `oms` command line."""
