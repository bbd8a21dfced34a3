#!/usr/bin/env python3
"""Build the site: `python build.py` or `python build.py build --help`."""
from generator import launch

if __name__ == "__main__":
    launch()
