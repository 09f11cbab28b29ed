"""Load and scale benchmarks of Municipia (not collected by pytest; run with `make bench`)."""
