# Copyright (c) lnl_mm contributors. All rights reserved.
"""Docstrings state the defaults the signatures have (and the paper link)."""
import ast
import inspect
import math
import re

import pytest

import lnl_mm.models.losses as losses
from lnl_mm.models.losses import BaseClsLoss

CLASSES = [
    obj for name, obj in vars(losses).items() if inspect.isclass(obj)
    and issubclass(obj, BaseClsLoss) and obj is not BaseClsLoss
]
ARG = re.compile(r'^ {4}(\w+) \([^)]*\): (.*?)(?=^ {4}\w+ \(|\Z)', re.M | re.S)


def _documented_defaults(doc):
    args = doc.split('Args:', 1)[1]
    for name, text in ARG.findall(args):
        m = re.search(r'Defaults to (?:``)?([^`\s(]+?)(?:``)?\.?(?:\s|\(|$)',
                      ' '.join(text.split()))
        if m:
            yield name, m.group(1)


@pytest.mark.parametrize('cls', CLASSES, ids=lambda c: c.__name__)
def test_documented_defaults_match_signature(cls):
    doc = inspect.getdoc(cls)
    assert doc and 'Args:' in doc, cls
    text = inspect.getdoc(cls) + (inspect.getmodule(cls).__doc__ or '')
    assert '<https://arxiv.org/' in text or '<https://openreview.net/' in text
    params = inspect.signature(cls.__init__).parameters
    checked = 0
    for name, text in _documented_defaults(doc):
        assert name in params, f'{cls.__name__}: documents unknown {name}'
        default = params[name].default
        if text == 'log':  # "Defaults to ``log(1e-4)``"
            assert math.isclose(default, math.log(1e-4)), (cls, name)
        else:
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                continue
            assert value == default, (
                f'{cls.__name__}.{name}: docstring says {value!r}, '
                f'signature has {default!r}')
        checked += 1
    assert checked >= 1, cls.__name__
