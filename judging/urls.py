"""The judges' pages, under /judging/ (two-factor sign-in required by accounts.middleware)."""

app_name = "judging"

urlpatterns: list = [
    # Required names (services build links to them): "invitation_accept" (token) and "review" (assignment_id).
]
