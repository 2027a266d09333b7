# Copyright (c) lnl_mm contributors. All rights reserved.
from .backbones import *  # noqa: F401,F403
from .classifiers import *  # noqa: F401,F403
from .denoisers import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .meta import *  # noqa: F401,F403
from .utils import *  # noqa: F401,F403
