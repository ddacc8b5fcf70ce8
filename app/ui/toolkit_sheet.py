"""Add a toolkit from a spreadsheet: check it, preview its wizard pages, then install it.

Why a preview: a safeguarding lead should see the pages practitioners will fill (the real
wizard rows, built from the checked definition) before the toolkit is offered to anyone.
The checks, the installing and the provenance live in app.forms.installed; this window
only asks and shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.forms import Registry
from app.forms.installed import SheetCheck, check_sheet, install
from app.forms.model import Field, Toolkit
from app.ui.fields import editor_for
from app.ui.guard import install_wheel_guard
from app.ui.sizing import fit_to_screen


class ToolkitSheetDialog(QDialog):
    """Choose a workbook; every problem is listed by sheet and row; a toolkit that checks is
    previewed page by page and installed only when the practitioner says so."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        install_wheel_guard()
        super().__init__(parent)
        self.registry = registry
        self.check: SheetCheck | None = None
        self.source: Path | None = None
        self.setWindowTitle("Add a toolkit from a spreadsheet")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Choose a toolkit workbook (.xlsx) written as docs/toolkit-sheets.md describes. "
            "It is checked first; nothing is installed until you press Install.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.choose = QPushButton("&Choose a spreadsheet…", self)
        self.choose.clicked.connect(self._choose)
        layout.addWidget(self.choose)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Check result")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.problems = QListWidget(self)
        self.problems.setAccessibleName("Problems, by sheet and row")
        self.problems.setVisible(False)
        layout.addWidget(self.problems, 1)
        self.preview = QTabWidget(self)
        self.preview.setAccessibleName("Preview of the wizard's pages")
        self.preview.setVisible(False)
        layout.addWidget(self.preview, 3)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.install_button = self.buttons.addButton(
            "&Install", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.install_button.setEnabled(False)
        self.install_button.clicked.connect(self.install)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 900, 680)

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Toolkit spreadsheet", str(Path.home()), "Excel workbook (*.xlsx)"
        )
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> SheetCheck:
        """Check the workbook and show the problems, or the preview of a good toolkit."""
        self.source = path
        check = check_sheet(path, self.registry)
        self.check = check
        self.problems.clear()
        self.preview.clear()
        if not check.ok:
            self.problems.addItems([issue.line() for issue in check.issues])
            self.problems.setVisible(True)
            self.preview.setVisible(False)
            self.install_button.setEnabled(False)
            self.status.setText(
                f"{path.name}: {len(check.issues)} problem(s) to put right in the spreadsheet; "
                "nothing was installed."
            )
            return check
        tk = check.toolkit
        assert tk is not None
        self.problems.setVisible(False)
        issuer = check.issuer.describe() if check.issuer else "made locally, unsigned"
        if check.same_as_installed:
            self.status.setText(f"{tk.short_title} ({tk.version}) is already installed, identical.")
            self.install_button.setEnabled(False)
        else:
            self.status.setText(
                f"{tk.title} ({tk.version}), {tk.partnership}: {issuer}. "
                "Check the pages below, then press Install."
            )
            self.install_button.setEnabled(True)
        self._build_preview(tk)
        self.preview.setVisible(True)
        return check

    def _build_preview(self, tk: Toolkit) -> None:
        from app.ui.wizard.rows import FactorRow, MarkRow

        def page(title: str, widgets: list[QWidget], heading: str | None = None) -> None:
            body = QWidget()
            column = QVBoxLayout(body)
            if heading:
                top = QLabel(heading, body)
                top.setWordWrap(True)
                top.setStyleSheet("font-weight:600;")
                column.addWidget(top)
            for widget in widgets:
                widget.setParent(body)
                column.addWidget(widget)
            column.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(body)
            self.preview.addTab(scroll, title)

        def editors(fields: tuple[Field, ...]) -> list[QWidget]:
            return [editor_for(f) for f in fields if f.type != "computed"]

        page("Child", editors(tk.child_fields))
        rows: list[QWidget] = []
        for group in tk.section1_groups:
            title = QLabel(group.title)
            title.setWordWrap(True)
            title.setStyleSheet("font-weight:600; margin-top:6px;")
            rows.append(title)
            rows.extend(MarkRow(tk, item) for item in group.items)
        page("Section 1", rows, tk.data["section1"]["title"])
        factors: list[QWidget] = [FactorRow(tk, item) for item in tk.section2_items]
        page("Section 2", factors, tk.data["section2"]["title"])
        page("Section 3", editors(tk.section3_fields), tk.data["section3"]["title"])
        lines = []
        for key, level in tk.data["levels"].items():
            steps = [s.get("text", "") for s in level.get("next_steps", ()) if isinstance(s, dict)]
            lines.append(f"{level.get('label', key)}: " + " ".join(steps))
        levels = QLabel("\n\n".join(lines))
        levels.setWordWrap(True)
        page("Levels and steps", [levels])

    def install(self) -> None:
        if self.check is None or not self.check.ok or self.source is None:
            return
        try:
            install(self.check, self.source)
        except OSError as exc:
            self.status.setText(f"Not installed: {exc.strerror or exc}. Nothing was changed.")
            return
        tk = self.check.toolkit
        assert tk is not None
        origin = self.check.issuer.describe() if self.check.issuer else "made locally, unsigned"
        self.registry.add_installed(tk, origin)
        self.status.setText(
            f"Installed: {tk.short_title} ({tk.version}). It is offered for new assessments."
        )
        self.install_button.setEnabled(False)
