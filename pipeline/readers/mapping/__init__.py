"""Step two of every reader: labelled values -> model paths, values, a Plan."""
