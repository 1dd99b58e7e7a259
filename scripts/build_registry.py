#!/usr/bin/env python3
"""Rebuild marsad's actor registry: same as ``marsad train registry --shared ../shared``."""

import sys

from marsad.cli.registry import registry_cmd

if __name__ == "__main__":
    sys.exit(registry_cmd.main(args=sys.argv[1:], standalone_mode=True))
