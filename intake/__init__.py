"""Intake: getting order messages in safely and turning their parts into Documents. Knows nothing about orders."""
