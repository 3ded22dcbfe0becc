"""Output: rendered files and the disk writer (staged, swapped in whole)."""
