"""A built-in lab in a real window: its panel shows the instructions and the goals, the
goals tick as the run meets them, and what the lab locks is disabled."""

from backprop_gui.core.boundary import BoundaryImage
from backprop_gui.core.lab import built_in_labs, load_lab
from backprop_gui.resources import resource_dir


def open_lab(window, name: str):
    path = next(p for p in built_in_labs() if name in p.name)
    assert window.actions.files.open_path(path, example=True)
    return load_lab(path)[1]


def test_the_xor_lab_shows_its_goals_and_they_tick_when_met(make_window, qtbot, wait_until_stopped):
    window = make_window("xor")
    lab = open_lab(window, "xor")
    panel = window.lab_panel
    assert window.docks["lab"].isVisible() and panel.title.text() == lab.title
    assert len(panel.goal_rows) == len(lab.goals) and all("○" in row.text() for row in panel.goal_rows)
    assert "goals met" in panel.status.text()
    assert window.document.path is None  # a built-in lab opens untitled: saving asks where
    if "dataset" in lab.locked:
        assert not window.data_panel.kind.isEnabled()
    if "learning_rate" in lab.locked:
        assert not window.hyper.learning_rate.isEnabled()
    window.actions.speed.setCurrentIndex(0)
    window.actions.train.trigger()
    wait_until_stopped(window)
    assert not panel.progress.complete  # as handed out, the lab's network cannot do it
    # the reference solution, as a student would build it: the goals tick, the lab is done
    assert window.load_project(lab.solution[-1])
    window.actions.train.trigger()
    wait_until_stopped(window)
    qtbot.waitUntil(lambda: panel.progress.complete, timeout=10_000)
    assert all("✔" in row.text() for row in panel.goal_rows)
    assert "Lab complete" in panel.status.text()


def test_a_project_that_is_not_a_lab_hides_the_panel_and_unlocks(make_window, qtbot):
    window = make_window("xor")
    open_lab(window, "xor")
    assert window.actions.files.open_path(resource_dir() / "projects" / "circles-deep-sigmoid.json")
    assert not window.docks["lab"].isVisible()
    assert window.data_panel.kind.isEnabled() and window.hyper.learning_rate.isEnabled()
    assert not window.network_view.locked


def test_the_labs_menu_lists_every_built_in_lab_by_title(make_window):
    window = make_window("xor")
    titles = [action.text() for action in window.actions.labs.actions()]
    assert len(titles) == len(built_in_labs()) >= 7
    assert titles[0] == load_lab(built_in_labs()[0])[1].title


def test_a_labs_instructions_load_nothing(tmp_path, qtbot):
    from PySide6.QtGui import QTextImageFormat

    from backprop_gui.app.lab_panel import Instructions

    picture = tmp_path / "secret.png"
    picture.write_bytes(b"\x89PNG not really")
    text = Instructions()
    qtbot.addWidget(text)
    text.show_markdown(f"Look: ![the picture]({picture}) <img src='{picture}'> [a link](https://example.com)")
    text.grab()
    images = []
    block = text.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isImageFormat():
                images.append(QTextImageFormat(it.fragment().charFormat()).name())
            it += 1
        block = block.next()
    assert images == []
    assert "the picture" in text.toPlainText() and "a link" in text.toPlainText()


def test_patience_changed_during_a_lab_reaches_its_goals(make_window, qtbot):
    window = make_window("xor")
    open_lab(window, "overfitting")
    window.hyper.patience.setValue(77)
    assert window.lab_panel._facts.patience == 77


def test_a_lab_on_two_features_after_one_on_a_single_feature_plots_both(make_window, qtbot):
    window = make_window("xor")
    open_lab(window, "learning-rate")  # the sine: one feature, a fitted curve
    assert window.session.axes == (0, 0)
    open_lab(window, "vanishing")  # the circles: two features, a plane again
    assert window.session.axes == (0, 1)
    qtbot.waitUntil(lambda: window.session.last is not None
                    and window.session.last.boundary is not None
                    and isinstance(window.session.last.boundary, BoundaryImage))


def test_every_lock_a_lab_can_name_greys_out_a_control(make_window):
    """Each key of core/lab.py LOCKABLE disables something in the window (the network
    editor locks its own buttons), and the panel names what is fixed."""
    from backprop_gui.app.lab_panel import lockable_widgets
    from backprop_gui.core.lab import LOCKABLE

    window = make_window("xor")
    editor_keys = {"network", "activation", "weights"}
    assert set(LOCKABLE) - editor_keys <= set(lockable_widgets(window))
    lab = open_lab(window, "learning-rate")
    assert "loss" in lab.locked
    assert not window.hyper.loss.isEnabled()
    panel = window.lab_panel
    assert panel.locks.isVisibleTo(panel) and "the learning rate" in panel.locks.text()
    assert "the loss" not in panel.locks.text()  # most is fixed: it says what is free


def test_a_lab_opened_at_start_is_the_tab_in_front(track_window, qtbot, tmp_path):
    """backprop-gui LAB: the lab's dock is shown before the window is, which Qt lays out
    nowhere unless it is tabbed again once the window shows."""
    from PySide6.QtCore import QSettings

    from backprop_gui.app.launch import open_window

    path = next(p for p in built_in_labs() if "learning-rate" in p.name)
    settings = QSettings(str(tmp_path / "start.ini"), QSettings.Format.IniFormat)
    window = track_window(open_window(str(path), settings=settings))
    lab = window.docks["lab"]
    qtbot.waitUntil(lambda: not lab.visibleRegion().isEmpty(), timeout=5_000)
    assert window.docks["settings"].visibleRegion().isEmpty()  # behind the lab's tab


def test_the_examples_menu_names_each_project_as_it_names_itself(make_window):
    from PySide6.QtWidgets import QMenu

    from backprop_gui.core.config import load_project
    from backprop_gui.resources import example_projects

    window = make_window("xor")
    examples = next(m for m in window.findChildren(QMenu) if m.title() == "&Examples")
    titles = [action.text() for action in examples.actions()]
    assert titles == [load_project(path).name for path in example_projects()]
    assert "XOR" in titles


def test_data_settings_that_do_not_apply_stay_off_after_a_lab_unlocks(make_window, qtbot):
    window = make_window("xor")
    d = window.data_panel
    generated = (d.samples, d.noise, d.seed)
    open_lab(window, "xor")
    assert window.actions.files.open_path(resource_dir() / "projects" / "iris.json")  # a CSV file
    assert d.kind.isEnabled() and not any(w.isEnabled() for w in generated)  # its rows are its own
    d.kind.setCurrentText("moons")
    assert all(w.isEnabled() for w in generated)
    window.set_lab(load_lab(next(p for p in built_in_labs() if "xor" in p.name))[1])
    locked = "dataset" in window.lab_panel.lab.locked
    assert d.kind.isEnabled() is not locked
    if locked:
        assert not any(w.isEnabled() for w in generated)
