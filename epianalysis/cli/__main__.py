"""``python -m epianalysis.cli``: the same as the ``epianalysis`` command."""

import sys

from epianalysis.cli import main

sys.exit(main())
