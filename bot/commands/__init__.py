"""One module per group of `pearlbot` subcommands; each exposes `register(subparsers, common)`."""
