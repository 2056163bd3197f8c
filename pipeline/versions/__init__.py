"""A plan's history: the version store, diffs, progress reviews, revise and due."""
