"""Pages about sharing; each module holds its pages and their ``urlpatterns``."""
