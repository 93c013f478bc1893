"""Review UI: the FastAPI web app for reviewers, sales reps and admins."""
