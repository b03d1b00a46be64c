"""One module per dashboard page; each exposes its page function."""
