"""Chart primitives shared by every briefing topic: one press style, CJK fonts, palettes, county
maps (choropleth and tile grid) and deterministic export.

A topic's own charts live in its folder (``epianalysis/topics/<topic>/charts.py``) and are drawn
with these primitives; the texts come from :mod:`epianalysis.text`.
"""
