"""The commands' drivers: serve, new, report."""
