#!/usr/bin/env python
from chapterhouse.cli import main

if __name__ == "__main__":
    main()
