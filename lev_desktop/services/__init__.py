"""Use cases over the store: each function opens its own short session and returns detached
objects or plain values. The UI calls these from workers; the CLI calls them directly."""
