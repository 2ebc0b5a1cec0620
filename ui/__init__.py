"""The PySide6 interface: presents and dispatches; all work goes through the core in workers."""
