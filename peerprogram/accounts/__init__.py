"""Staff accounts: inviting staff and changing roles (`staff`, `admin`), signing in with a
second factor and lockout (`signin`, `views`, `forms`), and password reset through the outbox
(`password_reset`)."""
