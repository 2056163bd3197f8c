"""txplan's tests, one folder per package."""
