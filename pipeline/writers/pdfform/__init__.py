"""Fillable PDF forms: the field map, and the fast writer (a form compiled once, bytes per plan)."""
