"""Code-quality measures of the product code, printed by `make quality` (see quality/report.py)."""
