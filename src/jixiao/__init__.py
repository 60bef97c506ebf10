"""jixiao (绩效): fiscal project performance management in the open.

The public API a researcher needs: read a published form into a
:class:`Document`, read and write the document JSON, parse a 指标值.
"""

from jixiao.core.errors import JixiaoError, Location
from jixiao.core.model import Document, Execution, FundManagementRow, FundRow, Funds, Indicator, Kind, Project
from jixiao.core.serialize import dumps, loads

__all__ = [
    "Document",
    "Execution",
    "FundManagementRow",
    "FundRow",
    "Funds",
    "Indicator",
    "JixiaoError",
    "Kind",
    "Location",
    "Project",
    "dumps",
    "loads",
]
__version__ = "0.1.0"
