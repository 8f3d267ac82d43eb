"""Reads about sharing, always starting from sharing.policies; one module per topic."""
