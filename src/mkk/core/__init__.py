"""The shared kernel: small rules every app uses, each in one place. Imports Django, the
standard library and the libraries it wraps (matplotlib, nh3, WeasyPrint), never an MKK app;
every app may import it (the lowest floor, checked by import-linter in `make test`)."""
