"""Evaluation harness: score the pipeline on a labelled corpus (`oms eval`)."""
