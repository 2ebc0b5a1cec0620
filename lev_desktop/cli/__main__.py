import sys

from lev_desktop.cli import main

sys.exit(main())
