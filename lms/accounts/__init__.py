"""One sign-in path (allauth's, with its rate limits, email verification and second factor),
two-factor authentication required for staff roles, and session lifetimes per role."""
