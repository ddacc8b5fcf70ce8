"""The assessment wizard, generated from a toolkit definition (one module per part)."""

from app.ui.wizard.finish import FinishPage
from app.ui.wizard.rows import FactorRow, MarkRow
from app.ui.wizard.summary import SummaryPanel
from app.ui.wizard.window import PAGES, AssessmentWizard

__all__ = ["PAGES", "AssessmentWizard", "FactorRow", "FinishPage", "MarkRow", "SummaryPanel"]
