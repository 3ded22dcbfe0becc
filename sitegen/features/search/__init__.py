"""Search: the tokenizer (keys) and the sharded index (index)."""
