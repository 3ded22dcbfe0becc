"""Thi đua rules: award ranks, anniversaries, the roll of models, the yearly figures."""
