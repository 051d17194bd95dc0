"""epianalysis: an analysis workbook for epidemic governance.

Loading, validation and metric functions for the daily briefings of a provincial epidemic
command (recovery rates, county risk zoning, the precision control index and capacity recovery),
modelled on Zhejiang's 2020 COVID-19 response.
"""

import warnings

__version__ = "0.1.0"

# pandera imports pyspark.pandas whenever PySpark (the Spark engine's extra) is installed, and PySpark
# then warns that it does not fully support pandas 3. The workbook never uses pyspark.pandas; the
# warning would only clutter every notebook's stderr (which nbval must find empty).
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

SYNTHETIC_LABEL = "synthetic scenario"
SYNTHETIC_LABEL_ZH = "合成情景数据"
