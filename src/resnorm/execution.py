"""Executing notebooks without the stall after an explorer cell (``make notebooks``).

The stall: nbclient (which ``jupyter nbconvert --execute`` uses) mirrors each ipywidgets
``Output`` widget, as an explorer has, and sends the widget's new state to the kernel on the
shell socket from its IOPub task, while its reply task is waiting on that same asyncio ZeroMQ
socket for the cell's ``execute_reply`` (nbclient's ``output_widget.py``, ``sync_state``). A send
on a ZeroMQ socket can consume the edge-triggered wake-up of a reply that arrives at that moment,
so the waiting poll is never woken: it sleeps until its timeout, the whole cell timeout, and only
then does pyzmq's final check find the reply, and the run goes on without an error, as seen
(nbclient issue 312 reports the same hang with widgets). Reproduced here with a notebook whose
cells print 200 lines each into an ``Output`` widget: 5 of 32 runs stalled for the whole 30 s
cell timeout and then finished "without error"; with this module's channel, 0 of 20 did
(tests/test_execution.py has the unit checks).

The remedy here: the shell channel waits in slices of :data:`POLL_SLICE_S`; each slice ends with
pyzmq's own check of the socket, so a lost wake-up costs at most one slice. Use it with
``jupyter nbconvert --execute --ExecutePreprocessor.kernel_manager_class=resnorm.execution.PromptKernelManager``.
"""

from __future__ import annotations

from queue import Empty
from time import monotonic
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager

POLL_SLICE_S = 0.5
"""Longest a shell reply that has arrived can go unnoticed, in seconds."""


class PromptShellChannel(AsyncZMQSocketChannel):
    """A shell channel whose ``get_msg(timeout)`` looks at the socket at least every slice."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - monotonic())
            step = POLL_SLICE_S if left is None else min(POLL_SLICE_S, left)
            try:
                return await super().get_msg(timeout=step)
            except Empty:
                if deadline is not None and monotonic() >= deadline:
                    raise


class PromptKernelManager(AsyncKernelManager):
    """nbclient's kernel manager, handing out clients with a :class:`PromptShellChannel`."""

    def client(self, **kwargs: Any) -> AsyncKernelClient:
        client = super().client(**kwargs)
        client.shell_channel_class = PromptShellChannel
        return client
