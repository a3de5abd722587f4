import sys

from assurance.cli import main

sys.exit(main())
