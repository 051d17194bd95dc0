"""Metric functions: pure, typed, DataFrame in and DataFrame (or plain values) out.

Each function's docstring gives its formula and source (see DESIGN §4).
"""
