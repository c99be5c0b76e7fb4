"""`python -m vlm_survey ...`: see vlm_survey/cli.py."""

import sys

from vlm_survey.cli import main

sys.exit(main())
