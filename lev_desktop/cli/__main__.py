import multiprocessing
import sys

from lev_desktop.cli import main

if __name__ == "__main__":  # (a worker process of an import loads this module too: pool.py)
    multiprocessing.freeze_support()  # the frozen build's workers start here
    sys.exit(main())
