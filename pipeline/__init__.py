"""txplan: intake exports and forms in, payer-ready psychotherapy treatment plans out."""

__version__ = "0.1.0"
