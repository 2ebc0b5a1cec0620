"""The parts of the Settings screen: LAO list, programmes, incoming letters."""
