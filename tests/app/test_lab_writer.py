"""Save as Lab: a lab made in the dialog from the window's project reads back as that lab,
and a lab the parser would refuse is explained in the dialog and not written."""

from backprop_gui.app.lab_writer import LabWriter
from backprop_gui.core.lab import load_lab


def test_a_lab_made_in_the_dialog_reads_back(make_window, qtbot, tmp_path):
    window = make_window("xor")
    writer = LabWriter(window.session.project, window)
    qtbot.addWidget(writer)
    writer.title.setText("My XOR lab")
    writer.instructions.setPlainText("Press **Train**.")
    writer.tasks.setPlainText("Train it\n\nWatch the cost")
    rows = {row.name: row for row in writer.goals}
    rows["accuracy_at_least"].use.setChecked(True)
    rows["accuracy_at_least"].value.setValue(1.0)
    rows["max_epochs"].use.setChecked(True)
    rows["max_epochs"].value.setValue(3000)
    writer.locks["dataset"].setChecked(True)
    path = tmp_path / "mine.json"
    assert writer.save(path)
    project, lab = load_lab(path)
    assert lab.title == "My XOR lab" and lab.tasks == ["Train it", "Watch the cost"]
    assert [(g.kind, g.value) for g in lab.goals] == [("accuracy_at_least", 1.0), ("max_epochs", 3000)]
    assert lab.locked == ["dataset"]
    assert project.network.hidden == window.session.project.network.hidden
    assert window.actions.files.open_path(path)  # and it opens as a lab
    assert window.docks["lab"].isVisible()


def test_a_lab_the_parser_refuses_is_explained_and_not_written(make_window, qtbot, tmp_path):
    window = make_window("xor")
    writer = LabWriter(window.session.project, window)
    qtbot.addWidget(writer)
    writer.title.setText("No goals")
    path = tmp_path / "bad.json"
    assert not writer.save(path)
    assert writer.error.text().startswith("lab.instructions: ")
    writer.instructions.setPlainText("Do it.")
    assert not writer.save(path)  # no goal ticked
    assert writer.error.text().startswith("lab.goals")
    assert not path.exists()
