"""Benchmarks of the learner pages against a large generated data set (`make bench`)."""
