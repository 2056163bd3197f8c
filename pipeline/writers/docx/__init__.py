"""DOCX output: the stock docxtpl path, the compiled fast path, package parts, redline."""
