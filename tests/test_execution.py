"""make notebooks' executor: a shell reply that arrives unnoticed is picked up within a slice."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
import time
from queue import Empty

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from resnorm import execution
from resnorm.execution import POLL_SLICE_S, PromptKernelManager, PromptShellChannel


class _LostWakeUpSocket:
    """A socket whose reply is there from ``ready_after`` s on, but whose poll never wakes early:
    like a ZeroMQ socket that lost its wake-up, it reports the reply only when a poll times out."""

    def __init__(self, ready_after):
        self.ready_at = time.monotonic() + ready_after
        self.polls = []

    async def poll(self, timeout_ms=None):
        self.polls.append(timeout_ms)
        if timeout_ms is None:
            await asyncio.sleep(3600)
        await asyncio.sleep(timeout_ms / 1000)
        return int(time.monotonic() >= self.ready_at)


def _run(coroutine):
    """``asyncio.run`` in a worker thread: the browser tests' Playwright keeps a loop running here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _channel(socket):
    channel = PromptShellChannel.__new__(PromptShellChannel)
    channel.socket = socket

    async def recv():
        return {"msg_type": "execute_reply"}

    channel._recv = recv
    return channel


def test_a_reply_that_gave_no_wake_up_is_read_within_a_slice():
    socket = _LostWakeUpSocket(ready_after=0.3)
    start = time.monotonic()
    msg = _run(_channel(socket).get_msg(timeout=600))
    assert msg == {"msg_type": "execute_reply"}
    assert time.monotonic() - start < 0.3 + 2 * POLL_SLICE_S
    assert max(socket.polls) <= POLL_SLICE_S * 1000


def test_no_reply_still_times_out_at_the_deadline():
    socket = _LostWakeUpSocket(ready_after=3600)
    start = time.monotonic()
    with pytest.raises(Empty):
        _run(_channel(socket).get_msg(timeout=1.2))
    assert 1.2 <= time.monotonic() - start < 1.2 + POLL_SLICE_S


def test_waiting_without_a_timeout_polls_in_slices(monkeypatch):
    monkeypatch.setattr(execution, "POLL_SLICE_S", 0.05)
    socket = _LostWakeUpSocket(ready_after=0.2)
    assert _run(_channel(socket).get_msg(timeout=None)) == {"msg_type": "execute_reply"}
    assert None not in socket.polls and len(socket.polls) >= 3


def test_nbclient_runs_an_explorer_notebook_with_it():
    """End to end, as make notebooks runs it: an Output widget (an explorer) and a cell after it."""
    nb = new_notebook(cells=[
        new_code_cell("import ipywidgets as widgets\nfrom resnorm.widgets import Explorer\n"
                      "def draw(fig, depth):\n    fig.add_subplot().plot(range(depth))\n"
                      "explorer = Explorer(draw, {'depth': widgets.IntSlider(value=3, min=1, max=9)})\n"
                      "explorer"),
        new_code_cell("print('after the explorer')"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    channels = []
    client = NotebookClient(nb, timeout=120, kernel_manager_class=PromptKernelManager,
                            on_cell_executed=lambda **_: channels.append(type(client.kc.shell_channel)))
    client.execute()
    assert channels == [PromptShellChannel, PromptShellChannel]
    assert nb.cells[1].outputs[0]["text"] == "after the explorer\n"
    assert nbformat.validate(nb) is None
