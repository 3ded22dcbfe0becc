"""Everything about .sitegen/: the read cache, stamps, render keys, saved states, workers."""
