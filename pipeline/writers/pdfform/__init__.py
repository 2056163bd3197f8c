"""Fillable PDF forms: the field map, and the fast writer (a form compiled once, bytes per plan)."""

#: A form the fast path handed to the stock path (info on the document's row; the build's
#: summary counts them by reason, so a batch that slows down says why). Here, not in
#: ``pdf_form``, so the command line can name it without importing pypdf.
STOCK_PATH = "TPL012"
