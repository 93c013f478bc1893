"""Order confirmations: per-language templates, threaded reply emails, EDI order responses."""
from oms_core.confirmations.render import LANGUAGES, language_for, render_confirmation

__all__ = ["LANGUAGES", "language_for", "render_confirmation"]
