"""The shared kernel: small rules every app uses, each in one place. Imports only Django and
the standard library (never an MKK app)."""
