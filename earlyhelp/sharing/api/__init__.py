"""API operations about sharing; each module holds one ninja Router."""
