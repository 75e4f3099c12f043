"""Benchmarks (`make bench`). Each figure is reported with the raw operation it is compared to,
measured in the same run, and the ratio between them; results go to benchmarks/results/."""
