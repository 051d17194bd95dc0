"""epianalysis: an analysis workbook for epidemic governance.

Loading, validation and metric functions for the daily briefings of a provincial epidemic
command (recovery rates, county risk zoning, the precision control index and capacity recovery),
modelled on Zhejiang's 2020 COVID-19 response.
"""

__version__ = "0.1.0"

SYNTHETIC_LABEL = "synthetic scenario"
SYNTHETIC_LABEL_ZH = "合成情景数据"
