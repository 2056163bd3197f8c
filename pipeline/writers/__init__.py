"""The writer registry: one module per output format; writers never read input files."""
