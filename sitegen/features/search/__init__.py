"""Search: the tokenizer (keys), the index in memory (inverted), its files (files), the feature (index)."""
