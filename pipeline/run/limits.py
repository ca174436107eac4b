"""Address-space limits of the processes a run starts (its workers, the child that counts a
broken PDF's pages): what one document may take before it fails with MemoryError, instead
of the machine's memory."""
from __future__ import annotations

import os


def limit_address_space(limit: int | None) -> None:
    """Lower this process's (and its children's) address space to ``limit`` bytes; never
    raise a limit already lower, nor above the hard limit. None: leave it."""
    import resource

    if limit is None:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or limit < soft:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def mapped_bytes() -> int | None:
    """This process's address space now (Linux: /proc/self/statm), or None elsewhere."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None
