"""Rendering: the Jinja environment and its filters, the renderer, the interface's words."""
