"""``txplan serve``: the web app for the people who make plans, thin over the library."""
