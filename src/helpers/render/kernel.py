"""The Jupyter kernel manager xxgk starts kernels with (papermill's `nbclient` engine).

jupyter_client starts kernels listening on local TCP ports in plain text by default, and ipykernel
says so in an English warning on every start ("Kernel is running over TCP without encryption").
Kernels started here get CurveZMQ keys from the manager (jupyter_client's transport_encryption
"auto": when the kernelspec declares it supports them, as ipykernel's does): their traffic is
encrypted, nobody else on the machine can talk to them, and there is nothing to warn about.
"""
from __future__ import annotations

import zmq
from jupyter_client import AsyncKernelManager
from traitlets import default


class EncryptedKernelManager(AsyncKernelManager):
    """AsyncKernelManager (nbclient's default) that provisions CurveZMQ keys for its kernels."""

    @default("transport_encryption")
    def _encrypted(self) -> str:
        # "auto" needs a libzmq with CurveZMQ (pyzmq's wheels have it); without, the old default
        return "auto" if zmq.has("curve") else "disabled"
