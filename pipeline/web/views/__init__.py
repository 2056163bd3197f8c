"""The pages: one module per area (batches, clients and reviews, the rest)."""
