"""A tick box with a long question wraps its text beside the box, and a click on that
text ticks it, so no window is widened past a small screen by one long sentence."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from app.forms import Field
from app.ui.fields import WRAP_AT, editor_for

LONG = (
    "Written and informed consent from the person(s) with parental responsibility, "
    "recorded on the child's file (fictional wording for this test)"
)


def test_a_long_question_wraps_and_its_text_ticks_the_box(qtbot: QtBot) -> None:
    assert len(LONG) > WRAP_AT
    editor = editor_for(Field("consent", LONG, "bool"), None)
    qtbot.addWidget(editor)
    editor.resize(300, 200)
    editor.show()
    box = editor.findChild(QCheckBox)
    text = next(label for label in editor.findChildren(QLabel) if label.text() == LONG)
    assert box is not None and box.text() == "" and box.accessibleName() == LONG
    assert text.wordWrap() and text.buddy() is box
    assert editor.minimumSizeHint().width() < 300  # the sentence wraps; it sets no width
    changes: list[object] = []
    editor.changed.connect(lambda *_: changes.append(editor.value()))
    qtbot.mouseClick(text, Qt.MouseButton.LeftButton)
    assert editor.value() is True and changes == [True]
    editor.setEnabled(False)
    qtbot.mouseClick(text, Qt.MouseButton.LeftButton)
    assert editor.value() is True  # a read-only form never changes


def test_long_options_of_a_multiple_choice_wrap_too(qtbot: QtBot) -> None:
    options = (("a", "Short"), ("b", LONG))
    editor = editor_for(Field("kinds", "Kinds", "multichoice", options=options), None)
    qtbot.addWidget(editor)
    editor.show()
    names = [box.accessibleName() for box in editor.findChildren(QCheckBox)]
    assert names == ["Short", LONG]
    wrapped = [w for w in editor.findChildren(QLabel) if w.text() == LONG]
    assert len(wrapped) == 1
    qtbot.mouseClick(wrapped[0], Qt.MouseButton.LeftButton)
    assert editor.value() == ["b"]
    assert isinstance(editor, QWidget)


def test_a_choice_with_a_long_option_is_radio_buttons_whose_words_wrap(qtbot: QtBot) -> None:
    """A closed combo box cut such an option off (the letter's sending authority at 150%),
    or widened its window past the screen."""
    options = (("city", LONG), ("county", "Fictional County Children's Services"))
    editor = editor_for(Field("authority", "Sending authority", "choice", options=options))
    qtbot.addWidget(editor)
    editor.resize(300, 200)
    editor.show()
    assert editor.findChild(QComboBox) is None
    buttons = editor.findChildren(QRadioButton)
    assert [b.accessibleName() for b in buttons] == [LONG, "Fictional County Children's Services"]
    assert editor.minimumSizeHint().width() < 300  # the option wraps; it sets no width
    assert editor.value() is None  # nothing chosen until the practitioner picks one
    changes: list[object] = []
    editor.changed.connect(lambda *_: changes.append(editor.value()))
    text = next(label for label in editor.findChildren(QLabel) if label.text() == LONG)
    qtbot.mouseClick(text, Qt.MouseButton.LeftButton)
    assert editor.value() == "city" and changes == ["city"]
    qtbot.mouseClick(buttons[1], Qt.MouseButton.LeftButton)
    assert editor.value() == "county" and changes == ["city", "county"]
    editor.set_value(None)  # a draft without an answer
    assert editor.value() is None and changes[-1] is None
    editor.set_value("city")
    assert editor.value() == "city" and editor.focus_widget() is buttons[0]


def test_a_choice_with_short_options_stays_a_combo_box(qtbot: QtBot) -> None:
    options = (("he", "he / him / his"), ("they", "they / them / their"))
    editor = editor_for(Field("pronouns", "Pronouns", "choice", options=options))
    qtbot.addWidget(editor)
    assert editor.findChild(QComboBox) is not None and not editor.findChildren(QRadioButton)
