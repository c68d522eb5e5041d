import sys

from workbench.ui.app import main

sys.exit(main())
