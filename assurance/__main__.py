import sys

from assurance.commands.cli import main

sys.exit(main())
