"""One extension per feature, loaded by `Pearlbot.setup_hook`."""
