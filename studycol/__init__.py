"""studycol：《硬措施》学习宣传专栏的构建库。

这里放纯函数和数据模型；hooks/ 下的文件只是把它们接到 MkDocs 事件上的薄胶水。
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
