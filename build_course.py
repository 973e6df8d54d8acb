#!/usr/bin/env python3
"""Build the course site: `python build_course.py --help` lists the commands."""

from coursekit.cli import main

if __name__ == "__main__":
    main()
