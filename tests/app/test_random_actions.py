"""Pause, resume, step, reset, new settings, the inspector, the timeline and close, in
seeded random orders, hundreds of times: training never errs, the window always ends up
showing the trainer's real state, and closing the window ends the thread."""

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication


def _actions(window, qtbot):
    s = window.session
    a = window.actions

    def snapshot_after(trigger):
        def run():
            with qtbot.waitSignal(s.sigSnapshot, timeout=10_000):
                trigger()
        return run

    return {
        "train": a.train.trigger,  # Space: toggles
        "start": s.train,
        "pause": s.pause,
        "step epoch": snapshot_after(a.step_epoch.trigger),
        "step batch": snapshot_after(a.step_batch.trigger),
        "reset": snapshot_after(a.reset.trigger),
        "learning rate": lambda: window.hyper.learning_rate.setCurrentText(
            str(float(np.random.default_rng().choice([0.01, 0.1, 0.5])))),
        "speed": lambda: a.speed.setCurrentIndex(int(np.random.default_rng().integers(0, 3))),
        "events": QApplication.processEvents,
        "wait for a snapshot": lambda: qtbot.waitUntil(lambda: s.last is not None, timeout=10_000),
        # the inspector: a step taken apart, walked through, applied; a gradient check
        # started and cancelled or left to finish
        "inspect": a.inspect.trigger,
        "next stage": a.next_stage.trigger,
        "previous stage": a.previous_stage.trigger,
        "apply the inspected step": window.inspector.apply_button.click,
        "check gradients": a.check_gradients.trigger,
        "cancel the check": s.cancel_check,
        # the timeline: back to a moment, on from there, back to now
        "look back": lambda: window.timeline.slider.setValue(
            int(np.random.default_rng().integers(0, window.timeline.slider.maximum() + 1))),
        "resume from here": window.timeline.resume_button.click,
        "now": window.timeline.now_button.click,
    }


@pytest.mark.parametrize("seed,project,batch", [(0, "xor", 0), (1, "circles-deep-sigmoid", 64),
                                                (2, "diverging", 0)])
def test_random_control_sequences_leave_no_error_and_no_thread(qtbot, make_window, seed, project, batch):
    window = make_window(project)
    if batch:
        window.hyper.batch_size.setValue(batch)  # before training: applies at once
        assert window.session.experiment.trainer.batch_size == batch
    failures = []
    window.session.sigFailed.connect(failures.append)
    actions = _actions(window, qtbot)
    names = sorted(actions)
    rng = np.random.default_rng(seed)
    for name in rng.choice(names, size=250):
        actions[name]()
    # settle: pause, then the window must show exactly the trainer's state
    window.session.pause()
    qtbot.waitUntil(lambda: not window.session.running, timeout=10_000)
    window.actions.step_epoch.trigger()
    with qtbot.waitSignal(window.session.sigSynced, timeout=10_000):
        window.session.sync()  # every request above handled, every snapshot received
    trainer = window.session.experiment.trainer
    last = window.session.last
    assert not failures
    assert (last.epoch, last.batch) == (trainer.epoch, trainer.batch)
    history = window.session.history
    np.testing.assert_array_equal(history.epoch, trainer.history.epoch)
    np.testing.assert_array_equal(history.train_loss, trainer.history.train_loss)
    for W_shown, W in zip(last.weights, trainer.network.W[1:]):
        np.testing.assert_array_equal(W_shown, W)
    window.session.train()
    window.document.discard()
    window.close()  # while training: the fixture checks the thread has finished
    assert window.session._thread.isFinished()
