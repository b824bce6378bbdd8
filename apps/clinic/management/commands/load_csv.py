import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.clinic.csv_load import FileSummary, load_folder


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("must be a whole number of at least 1")
    return int(text)


class Command(BaseCommand):
    help = (
        "Load usuarios.csv, centros.csv, doctores.csv, pacientes.csv and horarios.csv from FOLDER into this "
        "database, "
        "validated as the API validates them. Records that exist already are skipped, so it can run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--batch-size", type=positive, default=200, help="rows per transaction (default 200)"
        )

    def handle(self, *args, folder: Path, batch_size: int, verbosity: int, **options):
        self.verbosity = verbosity
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        summaries = load_folder(folder, batch_size=batch_size, progress=self._progress)
        for summary in summaries:
            for failure in summary.failures:
                self.stderr.write(failure)
            counts = f"{summary.created} created, {summary.skipped} skipped, {summary.failed} failed"
            self.stdout.write(f"{summary.file}: {counts}")
        failed = sum(summary.failed for summary in summaries)
        if failed:
            raise CommandError(f"{failed} problem(s), listed above; everything else was loaded.")

    def _progress(self, summary: FileSummary) -> None:
        on_terminal = self.stdout.isatty()
        if on_terminal or self.verbosity >= 2:
            self.stdout.write(f"  {summary.file}: {summary.done} rows", ending="\r" if on_terminal else "\n")
