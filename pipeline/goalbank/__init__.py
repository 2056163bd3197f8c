"""goalbank.xlsx -> located rows -> lint -> an immutable, indexed bank."""
