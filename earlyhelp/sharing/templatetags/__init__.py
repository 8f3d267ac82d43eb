"""Template tags for the sharing sections that other apps' pages include."""
