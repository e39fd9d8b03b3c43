"""Named, seeded, fast experiments: each returns plain results (NumPy arrays, dataclasses).

One module per idea; notebooks call them and plot what they return. Every experiment takes its
seeds explicitly and runs the same configuration once per seed, so figures show the spread.
"""
