"""The case list and the selected case: a host for actions, not a home for logic."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import casework
from app.casework import reading, settings
from app.casework.prefill import prefill
from app.forms import Registry, Toolkit
from app.rules import age_on
from app.storage import CaseSummary, Repository, Vault
from app.ui import drafts
from app.ui.case_filters import CaseFilters
from app.ui.clipboard import ClipboardWatch
from app.ui.dates import shown
from app.ui.guard import install_wheel_guard
from app.ui.levels import COLOURS, word
from app.ui.sizing import fit_to_screen, remember_size
from app.ui.speech import LiveLabel
from app.ui.suspend import SuspendWatcher
from app.ui.windows import CaseWindows, Factory, demo_mark, owned_by
from app.ui.wizard import AssessmentWizard

COLUMNS = ("Child", "Age", "Toolkit", "Level", "Status", "Review due")
EMPTY_VAULT = (
    "No cases yet. To start, choose New assessment (Ctrl+N) and pick the toolkit your area "
    "uses; the wizard saves as you type. Fill in your name and agency once under Profile and "
    "settings (Ctrl+,) so forms are pre-filled. Lock (Ctrl+Shift+L) whenever you step away."
)
MAX_ROWS = 1000  # a table of 20,000 rows helps no one; search narrows it


def toolkit_choice(registry: Registry, tk: Toolkit) -> str:
    """A toolkit as the picker offers it: an installed one says who issued it."""
    if registry.is_shipped(tk.id):
        return tk.short_title
    return f"{tk.short_title} ({tk.version}), {registry.origin(tk.id)}"


class MainWindow(QMainWindow):
    def __init__(
        self,
        registry: Registry,
        vault: Vault,
        relock: Callable[[], Vault | None],
        idle_minutes: int = 10,
    ) -> None:
        install_wheel_guard()
        super().__init__()
        self.registry, self.vault, self.repo = registry, vault, Repository(vault)
        self._relock = relock
        self.windows = CaseWindows()  # every window showing a case, one per case and kind
        self._locking = False
        self.setWindowTitle(f"CRE Toolkit — {demo_mark(self.repo)}{vault.path.name}")
        central = QWidget(self)
        self.setCentralWidget(central)
        layout = QVBoxLayout(central)
        self.filters = CaseFilters(registry, central)
        f = self.filters  # the names tests and the lock use
        self.search, self.level_filter, self.toolkit_filter = f.search, f.level, f.toolkit
        self.status_filter, self.review_filter = f.status, f.review
        layout.addWidget(self.filters)
        self.empty_hint = LiveLabel("First steps", central)
        self.empty_hint.setStyleSheet(
            "background:#eef4f8; border-left:4px solid #1d4f6e; padding:8px;"
        )
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)
        split = QSplitter(Qt.Orientation.Horizontal, central)
        self.table = QTableWidget(0, len(COLUMNS), split)
        self.table.setAccessibleName("Cases")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        side_scroll = QScrollArea(split)  # the case's details scroll rather than squeeze the list
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side = QWidget(side_scroll)
        side_scroll.setWidget(side)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QListWidget(side)
        self.details.setAccessibleName("Assessments of the selected case")
        from app.ui.chronology import Chronology

        self.chronology = Chronology(registry, side)
        side_layout.addWidget(self.details, 1)
        side_layout.addWidget(self.chronology, 2)
        split.addWidget(self.table)
        split.addWidget(side_scroll)
        split.setSizes([800, 400])
        layout.addWidget(split, 1)
        self.status = QLabel("", central)
        layout.addWidget(self.status)
        self.vault_warning = QLabel("", central)  # a vault gone back in time, said at unlock
        self.vault_warning.setWordWrap(True)
        self.vault_warning.setStyleSheet(
            "background:#fde2e1; color:#8b0000; font-weight:bold; padding:6px;"
        )
        self.vault_warning.setAccessibleName("Vault warning")
        layout.insertWidget(0, self.vault_warning)
        self._show_vault_warnings()
        toolbar = self.addToolBar("Actions")
        self.actions_by_name: dict[str, QAction] = {}
        for text, shortcut, slot in (
            ("&New assessment…", "Ctrl+N", self.new_assessment),
            ("&Continue", "Ctrl+O", self.continue_assessment),
            ("Start &review", "Ctrl+R", self.start_review),
            ("D&iscard draft…", "Ctrl+Shift+D", lambda: drafts.discard_selected(self)),
            ("&Export for sending…", "Ctrl+E", self.export),
            ("Case &details and closure…", "Ctrl+D", self.case_details),
            ("&Plans…", "Ctrl+P", self.plans),
            ("&Meetings and case facts…", "Ctrl+M", self.meetings),
            ("S&tatistics…", "Ctrl+T", self.statistics),
            ("&Profile and settings…", "Ctrl+,", self.settings),
            ("&Lock", "Ctrl+Shift+L", self.lock),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            self.actions_by_name[text.replace("&", "").rstrip("…")] = action
            toolbar.addAction(action)
            self.addAction(action)
        # Lock is always in a menu with its shortcut, whatever the toolbar has room to show
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.actions_by_name["Lock"])
        file_menu.addSeparator()
        self.filters.changed.connect(self.reload)
        self.table.itemSelectionChanged.connect(self.show_details)
        self.details.itemActivated.connect(self._open_from_details)
        self.idle_limit = dt.timedelta(minutes=settings.auto_lock_minutes(self.repo, idle_minutes))
        self.last_activity = dt.datetime.now()
        self._idle = QTimer(self)
        self._idle.timeout.connect(self._check_idle)
        self._idle.start(15_000)
        self.clipboard_watch = ClipboardWatch(self)  # Lock clears what was copied from here
        self.suspend = SuspendWatcher(self)  # lid closed or screen locked: lock now
        self.suspend.sleeping.connect(self._system_sleeping)
        self.suspend.woke.connect(self._check_idle)
        self.suspend.watch_session_of(self)
        reading.prepare_search(self.repo)  # vaults made before search ignored accents
        fit_to_screen(self, 1300, 760, key="main", repo=self.repo)
        if self.width() < 1100:  # narrow or scaled screen: the case's details go below
            split.setOrientation(Qt.Orientation.Vertical)
            split.setSizes([self.height() * 3 // 5, self.height() * 2 // 5])  # the list first
        from app.ui.referral_hooks import install

        install(self)  # Open case…, File → Import…
        from app.ui import retention

        retention.install(self)  # File → Closed cases and purging…, Subject access export…
        from app.ui import about

        about.install(self)  # Help → About CRE Toolkit…, About Qt…
        self.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._locking and not self.close_every_window():
            event.ignore()  # a window kept open (its changes could not be saved): stay
            return
        if self.vault.is_open:
            remember_size(self, "main", self.repo)
        if not self._locking:
            self._idle.stop()  # a closed window never locks (or reopens) anything later
        super().closeEvent(event)

    def close_every_window(self) -> bool:
        """Quitting closes every open window first, each by its own rules (it saves what was
        typed, or asks before losing what cannot be saved), while the vault is still open;
        False when one stays open, and then the program does not quit."""
        for window in list(self.windows.windows()):
            if window.isVisible():
                window.close()
            if window.isVisible():
                window.raise_()
                window.activateWindow()
                return False
        return True

    def _show_vault_warnings(self) -> None:
        """What the vault noticed when it was opened (e.g. changes missing since the last
        session): shown until the next unlock, also kept in the audit trail."""
        warnings = list(getattr(self.vault, "warnings", []) or [])
        text = "Warning: " + " ".join(warnings) if warnings else ""
        if warnings:
            text += " Run 'vault check' and speak to your IT or information governance lead."
        self.vault_warning.setText(text)
        self.vault_warning.setAccessibleDescription(text)
        self.vault_warning.setVisible(bool(warnings))

    # -- case list ---------------------------------------------------------------------
    def reload(self) -> None:
        if not self.vault.is_open:  # a window closing after Lock or quit: nothing to show
            return
        cases = reading.find_cases(
            self.repo,
            self.search.text(),
            level=self.level_filter.currentData(),
            toolkit=self.toolkit_filter.currentData(),
            status=self.status_filter.currentData(),
            review_before=self._review_before(),
            limit=MAX_ROWS + 1,
        )
        truncated = len(cases) > MAX_ROWS
        cases = cases[:MAX_ROWS]
        self.cases = cases
        today = dt.date.today()
        self.table.setRowCount(len(cases))
        for row, c in enumerate(cases):
            age = ""
            if c.date_of_birth:
                try:
                    age = str(age_on(dt.date.fromisoformat(c.date_of_birth), today))
                except ValueError:
                    age = "?"
            toolkit = (
                self.registry.get(c.toolkit).short_title
                if c.toolkit in self.registry
                else c.toolkit
            )
            values = (
                c.child_name or "(no name yet)",
                age,
                toolkit,
                word(c.level),
                c.status.capitalize(),
                shown(c.review_due),
            )
            items = [QTableWidgetItem(text) for text in values]
            for col, item in enumerate(items):
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.table.setItem(row, col, item)
            level_item = items[3]
            background, foreground = COLOURS.get(c.level or "", ("#ffffff", "#1a1a1a"))
            level_item.setBackground(QColor(background))
            level_item.setForeground(QColor(foreground))
            if c.review_due and c.review_due < today.isoformat():
                due = items[5]
                due.setText(f"{shown(c.review_due)} (overdue)")
                due.setForeground(QColor("#8b0000"))
        more = " (the first 1,000: type part of a name to narrow the list)" if truncated else ""
        self.status.setText(f"{len(cases)} case(s){more}")
        filtered = self.filters.narrowed()
        empty = not cases and not filtered and self.review_filter.currentData() is None
        self.empty_hint.setVisible(empty)
        if empty:
            self.empty_hint.set_live(EMPTY_VAULT)
        self.show_details()  # the side panel follows: a just-completed assessment shows there

    def _review_before(self) -> str | None:
        choice = self.review_filter.currentData()
        today = dt.date.today()
        if choice == "overdue":
            return (today - dt.timedelta(days=1)).isoformat()
        if choice == "14":
            return (today + dt.timedelta(days=14)).isoformat()
        return None

    def case_details(self) -> None:
        from app.ui.case_dialog import CaseDialog

        case = self.case_to_act_on()
        if case is None:
            return
        title = self.registry.get(case.toolkit).short_title if case.toolkit in self.registry else ""
        dialog = self.open_case_window(
            "details", case.id, lambda: CaseDialog(self.repo, case.id, self, title)
        )
        if isinstance(dialog, CaseDialog):
            dialog.accepted.connect(self.reload, Qt.ConnectionType.UniqueConnection)

    def statistics(self) -> None:
        from app.ui.statistics import StatisticsDialog

        # not one per case: one Statistics window, which Lock saves and restores like the rest
        self.open_case_window(
            "statistics", 0, lambda: StatisticsDialog(self.repo, self, registry=self.registry)
        )

    def meetings(self) -> None:
        from app.ui.meetings import MeetingsDialog

        case = self.case_to_act_on()
        if case is None:
            return
        window = self.open_case_window(
            "meetings", case.id, lambda: MeetingsDialog(self.repo, case.id, self)
        )
        window.finished.connect(  # type: ignore[attr-defined]
            lambda _code: self.reload() if not self._locking else None,
            Qt.ConnectionType.UniqueConnection,
        )

    def plans(self) -> None:
        from app.ui.plans import PlansDialog

        case = self.case_to_act_on()
        if case is None:
            return
        tk = self.registry.get(case.toolkit)
        self.open_case_window("plans", case.id, lambda: PlansDialog(self.repo, tk, case.id, self))

    def case_to_act_on(self, asking: str = "Select a case first.") -> CaseSummary | None:
        """The selected case, or None after asking for one in the status line."""
        case = self.selected_case()
        if case is None:
            self.status.setText(asking)
        return case

    def selected_case(self) -> CaseSummary | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.cases[rows[0].row()]

    def show_details(self) -> None:
        self.details.clear()
        case = self.selected_case()
        if case is None:
            return
        from app.casework.meetings import list_meetings
        from app.rules.meetings import options

        types = dict(options("meeting_types"))
        records = reading.case_assessments(self.repo, case.id)
        held = [m.data for m in list_meetings(self.repo, case.id)]
        self.chronology.show_case(records, held)
        for a in records:
            kind = "Review" if a.is_review else "Assessment"
            when = shown(a.answers.get("assessment_date"))
            text = f"{kind} v{a.version}: {a.status} — {word(a.level)} — {when}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.details.addItem(item)
        for m in held:  # beside the assessments; opened from the Meetings action
            text = f"Meeting: {types[m['type']]} — {word(m['level'])} — {shown(m['date'])}"
            self.details.addItem(text)

    # -- actions -----------------------------------------------------------------------
    def new_assessment(self) -> None:
        offered = {toolkit_choice(self.registry, t): t for t in self.registry}
        names = list(offered)
        last = settings.last_toolkit(self.repo)  # the practitioner's own partnership
        start = next((n for n, t in enumerate(offered.values()) if t.id == last), 0)
        choice, ok = QInputDialog.getItem(self, "New assessment", "Toolkit:", names, start, False)
        if not ok:
            return
        tk = offered[choice]
        settings.set_last_toolkit(self.repo, tk.id)  # written only when it changed
        record = prefill(
            self.repo, self.registry, casework.start_case(self.repo, self.registry, tk.id)
        )
        self.reload()
        wizard = self.open_wizard(record.id)
        wizard.rejected.connect(lambda: drafts.drop_if_untouched(self, record.id))

    def continue_assessment(self) -> None:
        case = self.selected_case()
        if case is None:
            return
        draft = reading.open_draft(self.repo, case.id)
        if draft is not None:
            self.open_wizard(draft.id)
        else:
            self.status.setText("This case has no draft: start a review to assess again.")

    def start_review(self) -> None:
        case = self.selected_case()
        if case is None:
            return
        try:
            record = casework.start_review(self.repo, self.registry, case.id)
            record = prefill(self.repo, self.registry, record)
        except casework.DraftExistsError as exists:
            self.status.setText(str(exists))
            self.open_wizard(exists.assessment_id)
            return
        self.reload()
        self.open_wizard(record.id)

    def export(self) -> QDialog | None:
        """The package export: documents per recipient, encrypted, signed after the
        passphrase is asked again."""
        from app.ui.export_dialog import ExportDialog

        case = self.case_to_act_on("Select a case to export.")
        if case is None:
            return None

        def make() -> ExportDialog:
            dialog = ExportDialog(self.repo, self.registry, case.id, self)
            dialog.finished.connect(lambda _code: self.reload() if not self._locking else None)
            return dialog

        window = self.open_case_window("export", case.id, make)
        assert isinstance(window, QDialog)
        return window

    def settings(self) -> None:
        from app.ui.actions import ProfileDialog

        def make() -> ProfileDialog:
            dialog = ProfileDialog(self.repo, self, self.registry)
            dialog.accepted.connect(self._settings_saved)
            return dialog

        self.open_case_window("profile", 0, make)

    def _settings_saved(self) -> None:
        self.idle_limit = dt.timedelta(minutes=settings.auto_lock_minutes(self.repo))

    def _open_from_details(self, item: QListWidgetItem) -> None:
        assessment_id = item.data(Qt.ItemDataRole.UserRole)
        if assessment_id is None:  # a meeting
            self.meetings()
            return
        if reading.is_draft(self.repo, assessment_id):
            self.open_wizard(assessment_id)
        else:
            drafts.open_view(self, assessment_id)

    def open_case_window(self, kind: str, case_id: int, factory: Factory) -> QWidget:
        """Open (or raise) the case's window of this kind; Lock hides and restores it.
        Windows of the whole vault (statistics, profile) use case 0."""
        return self.windows.open((kind, case_id), factory)

    def open_wizard(self, assessment_id: int) -> AssessmentWizard:
        case_id = reading.assessment(self.repo, assessment_id).case_id

        def make() -> AssessmentWizard:
            wizard = AssessmentWizard(self.registry, self.repo, assessment_id, self)
            wizard.completed.connect(lambda _id: self.reload())
            wizard.finished.connect(lambda _code: self.reload() if not self._locking else None)
            return wizard

        window = self.open_case_window("assessment", case_id, make)
        assert isinstance(window, AssessmentWizard)
        return window

    @property
    def locking(self) -> bool:
        return self._locking

    @property
    def wizard(self) -> AssessmentWizard | None:
        """The most recently opened assessment window, if any."""
        found = [w for w in self.windows.windows() if isinstance(w, AssessmentWizard)]
        return found[-1] if found else None

    # -- safety ------------------------------------------------------------------------
    def note_activity(self) -> None:
        self.last_activity = dt.datetime.now()

    def _check_idle(self) -> None:
        if not self._locking and dt.datetime.now() - self.last_activity >= self.idle_limit:
            self.lock()

    def _system_sleeping(self) -> None:
        """Locked from the event loop, not inside the bus's dispatch; never after close."""
        if self._idle.isActive() and self.vault.is_open:
            QTimer.singleShot(0, self, self.lock)

    def lock(self) -> None:
        """Save every window, then hide and clear them all and drop the key; unlock restores."""
        if self._locking:
            return
        self._locking = True
        try:
            self.windows.lock()
            self.clipboard_watch.forget()
            for widget in QApplication.topLevelWidgets():  # e.g. a statistics dialog
                if widget is not self and widget.isVisible() and owned_by(widget, self):
                    widget.close()
            self.table.setRowCount(0)
            self.details.clear()
            self.chronology.show_case([])
            self.search.clear()
            self.vault_warning.clear()
            self.hide()
            self.vault.close()
            if "app.documents.signing" in sys.modules:  # the opened signing key goes too
                sys.modules["app.documents.signing"].clear_signer_cache()
            vault = self._relock()
            if vault is None:
                self.windows.forget_locked()
                self.close()
                return
            self.vault, self.repo = vault, Repository(vault)
            self.last_activity = dt.datetime.now()
            self._show_vault_warnings()
            self.show()
            self.reload()
            self.windows.restore()
        finally:
            self._locking = False


class ActivityFilter(QObject):
    """Any key or mouse press counts as activity for the idle lock (wall-clock based)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # every event of the application passes here: a class test first (asking an event
        # its type builds a Python enum, and most events are neither keys nor the mouse)
        if isinstance(event, (QKeyEvent, QMouseEvent)) and event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
        ):
            self.window.note_activity()
        return False
