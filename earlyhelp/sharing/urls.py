from earlyhelp.sharing.views import access, consent

app_name = "sharing"

urlpatterns = [*consent.urlpatterns, *access.urlpatterns]
