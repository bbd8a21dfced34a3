#!/usr/bin/env python3
"""Build the site: `python build.py` or `python build.py build --help`."""
import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
