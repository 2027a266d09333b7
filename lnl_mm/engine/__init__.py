# Copyright (c) lnl_mm contributors. All rights reserved.
from .hooks import *  # noqa: F401,F403
from .model_wrappers import *  # noqa: F401,F403
from .utils import *  # noqa: F401,F403
