#!/usr/bin/env python3
"""Kept so existing commands work: the code is dp_train/train_panoptic.py (`PYTHONPATH=training python3 -m dp_train.train_panoptic`)."""
import os, runpy, sys  # noqa: E401
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
runpy.run_module("dp_train.train_panoptic", run_name="__main__", alter_sys=True)
