from mmengine.model import MMDistributedDataParallel
from torch import nn

from lnl_mm.engine.utils import unwrap_model


def test_unwrap_model_returns_the_module_of_a_wrapper_only():
    net = nn.Linear(2, 2)
    assert unwrap_model(net) is net
    # a registered MMEngine wrapper, built without a process group
    wrapper = MMDistributedDataParallel.__new__(MMDistributedDataParallel)
    nn.Module.__init__(wrapper)
    wrapper.module = net
    assert unwrap_model(wrapper) is net
    # a module that merely has a ``module`` attribute is not a wrapper
    holder = nn.Module()
    holder.module = net
    assert unwrap_model(holder) is holder
