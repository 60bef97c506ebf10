"""Operating-system errors in Chinese: what went wrong with a file, without the system's English.

``OSError.strerror`` is the C library's English (「Is a directory」, 「Permission denied」). The
error number says the same thing in a form that can be translated; the few that a person
reading or writing files meets are below, and any other keeps its symbolic name so it can
still be looked up.
"""

from __future__ import annotations

import errno

TEXTS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中的某一段是文件，不是文件夹",
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许（没有权限）",
    errno.EROFS: "所在位置是只读的，不能写入",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "系统打开的文件过多",
    errno.EIO: "读写出错（磁盘或网络盘故障）",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.ELOOP: "路径中的符号链接循环",
    errno.EFBIG: "文件过大",
    errno.EINVAL: "文件名或参数无效",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EXDEV: "不能跨磁盘移动",
}


def describe(exc: OSError) -> str:
    """One Chinese phrase for an operating-system error: ``这是一个文件夹，不是文件``."""
    if exc.errno in TEXTS:
        return TEXTS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0)
    return f"系统错误（{name}）" if name else "系统错误"
