"""Read models for the pages: lean SQL over the core's tables, shaped for templates and the API."""
