"""The query child: a forked process with a time limit, a memory limit and no network.

Engines cannot interrupt a running query, so ``kg query --timeout`` and every query of
``kg serve`` run in a :class:`QueryChild` that is killed past its time, fails alone past its
memory, and cannot open a socket (:func:`deny_network`), whatever the query holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from kg.errors import KgError


class QueryTimeout(KgError):
    """A query ran past its time limit."""

    exit_code = 3


class QueryTooLarge(KgError):
    """A query went past its memory limit."""

    exit_code = 3


def _address_space() -> int:
    """Bytes of address space this process maps now (0 if unknown)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


#: (seccomp audit arch, socket syscall number) per machine
_SECCOMP_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def deny_network() -> bool:
    """Forbid this process to open IPv4 and IPv6 sockets, for good (seccomp; Linux only).

    A query child calls it before it parses its query: whatever the query holds, and however
    an engine reads it, the child cannot connect anywhere (``socket()`` fails with EACCES).
    The check of :func:`check` decides and explains; this makes its mistakes harmless.
    False where the kernel or the machine does not allow it (then nothing changes).
    """
    import ctypes
    import platform
    import socket
    import struct
    import sys

    arch = _SECCOMP_ARCH.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    audit_arch, nr_socket = arch
    ld, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
    allow, deny = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    # struct seccomp_data: nr at 0, arch at 4, args[0] at 16 (low word: little endian)
    program = [
        op(ld, 4),
        op(jeq, audit_arch, 1, 0),
        op(ret, deny),  # a syscall of another ABI: refuse it (none is expected here)
        op(ld, 0),
        op(jeq, nr_socket, 2, 0),
        op(jeq, nr_socket | 0x40000000, 1, 0),  # the x32 ABI's number
        op(ret, allow),
        op(ld, 16),
        op(jeq, socket.AF_INET, 2, 0),
        op(jeq, socket.AF_INET6, 1, 0),
        op(ret, allow),
        op(ret, deny),
    ]
    code = b"".join(program)
    buf = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program), ctypes.cast(buf, ctypes.c_void_p))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            return False
        return bool(libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0)  # PR_SET_SECCOMP, FILTER
    except (OSError, AttributeError):
        return False


class QueryChild:
    """``fn`` run in a forked child process, with an optional memory limit.

    Engines cannot interrupt a running query, so a query runs in a child process (forked: it
    shares the loaded store, copy-on-write) that can be killed when it runs too long, and whose
    address space is capped (``RLIMIT_AS``: what the parent maps at the fork plus
    ``memory_mb``), so a query that materializes too much fails alone, and which cannot open
    a network socket (:func:`deny_network`). The result (or the library error) comes back
    pickled through a pipe.
    """

    def __init__(self, fn: Callable[[], Any], memory_mb: float | None = None) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self.memory_mb = memory_mb
        self._reader, writer = ctx.Pipe(duplex=False)

        def child() -> None:
            import pickle

            self._reader.close()
            # errors come back through the pipe: what the engines print on the way out (Rust's
            # "memory allocation failed", generators finalized after a MemoryError) is noise
            import faulthandler

            faulthandler.disable()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
            deny_network()
            if memory_mb:
                import resource

                base = _address_space()
                if base:
                    cap = base + int(memory_mb * 1e6)
                    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            try:
                payload: tuple[str, Any] = ("ok", fn())
            except KgError as exc:
                payload = ("error", exc)
            except MemoryError:
                payload = ("memory", "")
            except BaseException as exc:
                payload = ("crash", f"{type(exc).__name__}: {exc}")
            try:
                data = pickle.dumps(payload)
            except MemoryError:
                data = pickle.dumps(("memory", ""))
            except Exception as exc:  # the result did not pickle
                data = pickle.dumps(("crash", f"{type(exc).__name__}: {exc}"))
            writer.send_bytes(data)
            writer.close()

        self.proc = ctx.Process(target=child, daemon=True)
        self.proc.start()
        writer.close()

    @property
    def pid(self) -> int:
        assert self.proc.pid is not None
        return self.proc.pid

    def wait(self, seconds: float | None) -> bool:
        """True when the answer is ready (or the child died) within ``seconds`` (None: ever)."""
        return bool(self._reader.poll(None if seconds is None else max(0.0, seconds)))

    def result(self) -> Any:
        """The value of ``fn`` (after :meth:`wait` returned True); its error re-raised."""
        import pickle

        try:
            status, value = pickle.loads(self._reader.recv_bytes())
        except EOFError:
            self.proc.join(5)
            code = self.proc.exitcode
            if self.memory_mb and code is not None and code < 0:  # aborted on a failed allocation
                status, value = "memory", ""
            else:
                raise KgError(f"the query process died without an answer (exit code {code})") from None
        if status == "ok":
            return value
        if status == "error":
            raise value
        if status == "memory":
            raise QueryTooLarge(
                f"the query went past its memory limit of {self.memory_mb:g} MB and was stopped"
            )
        raise KgError(f"query failed: {value}")

    def deprioritize(self) -> None:
        """Give the child the lowest CPU priority (a long query yields to short ones)."""
        import contextlib

        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, 19)

    def close(self) -> None:
        """Kill the child if it still runs and reap it."""
        self._reader.close()
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)


def call_with_timeout(fn: Callable[[], Any], timeout: float | None, memory_mb: float | None = None) -> Any:
    """Run ``fn`` in a :class:`QueryChild`; kill it and raise QueryTimeout after ``timeout`` s."""
    child = QueryChild(fn, memory_mb)
    try:
        if not child.wait(timeout):
            raise QueryTimeout(f"the query ran past its time limit of {timeout:g} s and was stopped")
        return child.result()
    finally:
        child.close()
