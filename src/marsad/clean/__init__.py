"""Page cleaning: title, metadata strip, boilerplate and body of a scraped page."""

from marsad.clean.stage import CleanStage

__all__ = ["CleanStage"]
