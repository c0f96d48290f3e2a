"""studycol：《硬措施》学习宣传专栏的构建库。

这里放纯函数、数据模型和构建流水线（pipeline.py、steps/）；hooks/column.py 只是把它接到 MkDocs 事件上的薄胶水。
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
