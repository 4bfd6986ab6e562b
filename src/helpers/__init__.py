"""xxgk: reproducible annual reports on government information disclosure (政府信息公开工作年度报告)."""
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("xxgk")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
