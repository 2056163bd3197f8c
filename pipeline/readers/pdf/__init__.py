"""PDF intake forms: fillable (AcroForm), flat (text layer) and scanned (OCR)."""
