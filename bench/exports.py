"""Export benchmarks: the portal's workbooks and year-end PDF against plain openpyxl and plain WeasyPrint writing
the same content, in the same run. Prints a table (seconds, peak memory, portal ÷ plain) and the targets met:

    DATABASE_URL=postgres://… .venv/bin/python bench/exports.py [--repeat 3] [--json bench/exports.json]

The database must hold `manage.py seed_demo --scale city` (the city union's ~50,000 members); nothing is written
to it. Every measurement runs in a fresh process, so that no case's memory or caches help another:

- time is the wall-clock seconds of the export alone, once Django, openpyxl, lxml and WeasyPrint are imported and
  the database connection is open, and what the process holds by then is frozen out of the garbage collector's
  rounds (on both sides alike). A workbook's portal side starts from the user (exporter, queries, writing);
  the year-end PDF is measured twice: render_pdf on the context the background job builds (the renderer, as
  against WeasyPrint alone), and the whole job from the user (figures, charts, template, PDF). "Of it DB" is
  the part spent waiting for the database's answers to statements;
- memory is the peak resident set size during the export (getrusage's ru_maxrss, its high-water mark first
  brought down to the present size through /proc/self/clear_refs) less the size just before it. Unlike
  tracemalloc it counts what lxml, pango and harfbuzz allocate in C;
- the plain side is given its cells, or its HTML, already in memory (taken once, beforehand, from the portal's
  own exporters and template) and writes them with nothing but openpyxl or WeasyPrint. Its 50,000 rows lie in
  memory all along while the portal's arrive 2,000 at a time, fresh in the processor's caches: the portal's
  writing alone can come out a little faster than plain;
- workbooks go to a temporary file on both sides, so the finished file's bytes are not counted as memory.

Exits 0 when every case ran, whether or not the targets are met; 1 when a case failed.
"""

import argparse
import json
import os
import pickle  # nosec B403 (our own file, written by this script a moment before)
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CITY_USER = "thanhdoan"
CITY_UNIT = "thanh-doan"  # the demo city union, above the city-scale tree
SMALL_LIST_ROWS = 5_000  # the member list the whole one is compared with, to show memory does not grow with rows

EXCEL_TIME_RATIO = 1.3
MEMORY_GROWTH_RATIO = 1.2
PDF_TIME_RATIO = 1.2
PDF_SECONDS = 20.0

# (key, label, the portal's case, the plain case on the same content). A case is measured once however many
# comparisons use it.
COMPARISONS = [
    ("year_end_xlsx", "year-end workbook", "year_end_xlsx_portal", "year_end_xlsx_plain"),
    ("members_xlsx", "member list", "members_xlsx_portal", "members_xlsx_plain"),
    ("small_members_xlsx", "member list, one position", "small_members_xlsx_portal", "small_members_xlsx_plain"),
    ("year_end_pdf", "year-end PDF, render_pdf", "year_end_pdf_portal", "year_end_pdf_plain"),
    ("year_end_pdf_job", "year-end PDF, whole job", "year_end_pdf_job", "year_end_pdf_plain"),
]
CASES = list(dict.fromkeys(case for _key, _label, *cases in COMPARISONS for case in cases))

# An unsaved report's narrative, as a committee would write it, so that the PDF has the pages of a real one.
NARRATIVE = {
    "situation": "Đoàn viên chủ yếu là cán bộ, viên chức trẻ làm việc theo ca; nhiều đơn vị trực thuộc ở xa.\n"
                 "Cấp ủy quan tâm, tạo điều kiện cho tổ chức Đoàn hoạt động.",
    "strengths": "Đoàn viên tích cực đăng ký và thực hiện cam kết; nhiều công trình thanh niên có giá trị.\n"
                 "Phong trào gắn với chuyên môn, được người dân ghi nhận.",
    "weaknesses": "Một số chi đoàn chậm cập nhật minh chứng; việc đánh giá cuối năm còn dồn vào tháng 12.",
    "causes": "Thời gian sinh hoạt ít do làm việc theo ca; bài học: giao chỉ tiêu sớm, kiểm tra theo quý.",
    "direction": "Duy trì phong trào; mỗi chi đoàn ít nhất một công trình thanh niên; đánh giá theo quý.",
    "proposals": "Đề nghị Ban Thường vụ cấp trên hỗ trợ kinh phí cho các công trình thanh niên cấp thành phố.",
    "signer_name": "Lê Quốc Bảo",
}


@dataclass
class Measure:
    seconds: float
    database_seconds: float  # of those seconds, waiting for the database
    peak_mib: float


@dataclass
class Row:
    export: str
    size: int  # data rows written (every sheet, headings aside), or PDF pages
    portal: Measure
    plain: Measure

    @property
    def time_ratio(self) -> float:
        return self.portal.seconds / self.plain.seconds


# --- inside a measuring process ------------------------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _restart_peak() -> bool:
    """Bring the process's peak RSS down to its present RSS (Linux 4.0 and later), so that the peak read after
    the export is the export's own, not the imports' before it. False where the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def _subject():
    """The city committee's user, its union and the year, as the portal would be asked for them."""
    from django.contrib.auth import get_user_model

    from members.models import Unit
    from movements.services.base import today

    return get_user_model().objects.get(username=CITY_USER), Unit.objects.get(code=CITY_UNIT), today().year


def _year_end_report(unit, year):
    """The union's report of the year if it has one, else the draft the portal would start from (as
    `manage.py export_report` does) with a narrative written in. Never saved."""
    from reports.models import YearEndReport

    return YearEndReport.objects.filter(unit=unit, year=year).first() or YearEndReport(unit=unit, year=year,
                                                                                       **NARRATIVE)


def _year_end_pdf_input(user, unit, year) -> tuple[str, dict]:
    """The template and context the background job hands to render_pdf, caught on their way there."""
    from reports import renderers, tasks

    caught = []
    real_render_pdf = renderers.render_pdf
    renderers.render_pdf = lambda template_name, context: caught.append((template_name, context)) or b""
    try:
        tasks.year_end_files(_year_end_report(unit, year), user, formats=("pdf",))
    finally:
        renderers.render_pdf = real_render_pdf
    [(template_name, context)] = caught
    return template_name, context


def _small_list_params(user, unit) -> dict:
    """The member-list filter (one position) whose list is nearest SMALL_LIST_ROWS long."""
    from django.db.models import Count

    from reports.exporters import MemberListExporter

    members = MemberListExporter(user, unit, {}).members()
    positions = members.order_by().values_list("position").annotate(n=Count("pk"))
    position, _count = min(positions, key=lambda pair: abs(pair[1] - SMALL_LIST_ROWS))
    return {"position": position}


def _plain_cells(exporter) -> list[tuple[str, list, list]]:
    """The exporter's tables as plain values, (sheet title, headings, rows): what the plain writer is given."""
    from django.utils.functional import Promise

    def plain(value):
        return str(value) if isinstance(value, Promise) else value

    return [(table.sheet or table.title, [plain(heading) for heading in table.headers],
             [tuple(plain(value) for value in row) for row in table.rows]) for table in exporter.tables()]


def _prepare(folder: Path) -> None:
    """What the plain side is given, taken once from the portal's own exporters and template: a file for each
    export in ``folder``, so that each measuring process loads only its own, and the short list's filter."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    from reports.exporters import MemberListExporter, YearEndExporter

    user, unit, year = _subject()
    small = _small_list_params(user, unit)
    (folder / "small_params.json").write_text(json.dumps(small))
    with translation.override(settings.LANGUAGE_CODE):  # as the background job writes them
        template_name, context = _year_end_pdf_input(user, unit, year)
        (folder / "year_end_pdf.html").write_text(render_to_string(template_name, context))
        for key, exporter in (("year_end_xlsx", YearEndExporter(user, unit, year)),
                              ("members_xlsx", MemberListExporter(user, unit, {})),
                              ("small_members_xlsx", MemberListExporter(user, unit, small))):
            with (folder / f"{key}.pickle").open("wb") as file:
                pickle.dump(_plain_cells(exporter), file, protocol=pickle.HIGHEST_PROTOCOL)


def _portal_xlsx(exporter, output: Path) -> None:
    from reports.renderers import write_xlsx

    with output.open("wb") as file:
        write_xlsx(exporter, file)


def _plain_xlsx(tables, output: Path) -> None:
    """Plain openpyxl in write-only mode: a bold heading row, then the values as they are."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for number, (title, headings, rows) in enumerate(tables, start=1):
        sheet = workbook.create_sheet(title=f"{number} {title}"[:31])
        heading_cells = []
        for heading in headings:
            cell = WriteOnlyCell(sheet, value=heading)
            cell.font = bold
            heading_cells.append(cell)
        sheet.append(heading_cells)
        for row in rows:
            sheet.append(row)
    with output.open("wb") as file:
        workbook.save(file)


def _workbook_rows(path: Path) -> int:
    """Data rows in a workbook (heading rows not counted), read back once the clock has stopped."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        # A write-only workbook records no dimensions: the rows are counted one by one.
        return sum(sum(1 for _row in sheet.iter_rows(values_only=True)) - 1 for sheet in workbook.worksheets)
    finally:
        workbook.close()


def _pdf_pages(pdf: bytes) -> int:
    """The PDF's pages, as poppler's pdfinfo counts them (WeasyPrint compresses its objects)."""
    done = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    return int(next(line.split()[-1] for line in done.stdout.decode().splitlines() if line.startswith("Pages:")))


class _DatabaseClock:
    """The seconds spent waiting for the database's answers to statements (a server-side cursor's later fetches
    aside: outside a transaction its DECLARE already runs the whole query)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _measure(case: str, prepared: Path) -> dict:
    """Run one case in this (fresh) process: its seconds, database seconds, peak memory, and rows or pages."""
    _setup_django()
    import gc

    import lxml.etree  # noqa: F401 (imported before the clock, on both sides alike)
    import openpyxl  # noqa: F401
    import weasyprint
    from django.conf import settings
    from django.db import connection
    from django.utils import translation

    from reports.exporters import MemberListExporter, YearEndExporter
    from reports.renderers import render_pdf
    from reports.tasks import year_end_files

    connection.ensure_connection()
    user, unit, year = _subject()
    language = translation.override(settings.LANGUAGE_CODE)  # the background jobs' language
    if case.endswith("_xlsx_plain"):
        with (prepared / f"{case.removesuffix('_plain')}.pickle").open("rb") as file:
            cells = pickle.load(file)  # nosec B301 (written by _prepare in this run)
    elif case == "year_end_pdf_plain":
        html = (prepared / "year_end_pdf.html").read_text()
    elif case == "small_members_xlsx_portal":
        small_params = json.loads((prepared / "small_params.json").read_text())
    elif case == "year_end_pdf_portal":
        with language:
            template_name, context = _year_end_pdf_input(user, unit, year)
    workbook = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    database = _DatabaseClock()
    # What the process holds already (Django, the plain side's cells) is left out of the collector's rounds
    # during the export, on both sides alike.
    gc.collect()
    gc.freeze()
    restarted = _restart_peak()
    before = _peak_mib()
    started = time.perf_counter()
    try:
        with language, connection.execute_wrapper(database):
            if case == "year_end_xlsx_portal":
                _portal_xlsx(YearEndExporter(user, unit, year), workbook)
            elif case == "members_xlsx_portal":
                _portal_xlsx(MemberListExporter(user, unit, {}), workbook)
            elif case == "small_members_xlsx_portal":
                _portal_xlsx(MemberListExporter(user, unit, small_params), workbook)
            elif case.endswith("_xlsx_plain"):
                _plain_xlsx(cells, workbook)
            elif case == "year_end_pdf_portal":
                pdf = render_pdf(template_name, context)
            elif case == "year_end_pdf_job":
                [(_title, pdf, _extension, _type)] = year_end_files(_year_end_report(unit, year), user,
                                                                   formats=("pdf",))
            elif case == "year_end_pdf_plain":
                pdf = weasyprint.HTML(string=html, base_url=settings.PORTAL_URL).write_pdf()
            else:
                raise SystemExit(f"No case {case}.")
        seconds = time.perf_counter() - started
        peak = _peak_mib() - before
        size = _workbook_rows(workbook) if "xlsx" in case else _pdf_pages(pdf)
    finally:
        workbook.unlink()
    return {"seconds": seconds, "database_seconds": database.seconds, "peak_mib": peak, "size": size,
            "peak_restarted": restarted}


# --- the driver ----------------------------------------------------------------------------------------------


def _child(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=ROOT, capture_output=True,
                          text=True)


def _measure_all(prepared: Path, repeat: int) -> dict[str, list[dict]]:
    """Every case ``repeat`` times, each in a fresh process; the cases take turns, so that a busy moment of the
    machine falls on both sides of a comparison rather than on one."""
    results = {case: [] for case in CASES}
    for attempt in range(1, repeat + 1):
        for case in CASES:
            done = _child("--case", case, "--prepared", str(prepared))
            if done.returncode:
                raise RuntimeError(f"{case} failed:\n{done.stderr[-3000:]}")
            results[case].append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  round {attempt} of {repeat} done", flush=True)
    return results


def _median(results: list[dict]) -> Measure:
    return Measure(*(statistics.median(result[name] for result in results)
                     for name in ("seconds", "database_seconds", "peak_mib")))


def _rows(results: dict[str, list[dict]]) -> dict[str, Row]:
    rows = {}
    for key, label, portal, plain in COMPARISONS:
        sizes = results[portal][0]["size"], results[plain][0]["size"]
        if sizes[0] != sizes[1]:
            raise RuntimeError(f"{label}: the portal wrote {sizes[0]} rows or pages, the plain side {sizes[1]}.")
        rows[key] = Row(label, sizes[0], _median(results[portal]), _median(results[plain]))
    return rows


def _targets(rows: dict[str, Row]) -> list[dict]:
    members, small = rows["members_xlsx"], rows["small_members_xlsx"]
    growth = members.portal.peak_mib / small.portal.peak_mib if small.portal.peak_mib > 0 else float("inf")
    targets = [
        {"target": f"year-end workbook ≤ {EXCEL_TIME_RATIO}× plain openpyxl's time",
         "value": rows["year_end_xlsx"].time_ratio, "limit": EXCEL_TIME_RATIO},
        {"target": f"member list ({members.size:,} rows) ≤ {EXCEL_TIME_RATIO}× plain openpyxl's time",
         "value": members.time_ratio, "limit": EXCEL_TIME_RATIO},
        {"target": f"member list's peak memory, {members.size:,} rows ÷ {small.size:,} rows ≤ {MEMORY_GROWTH_RATIO}",
         "value": growth, "limit": MEMORY_GROWTH_RATIO},
        {"target": f"year-end PDF's render_pdf ≤ {PDF_TIME_RATIO}× plain WeasyPrint's time",
         "value": rows["year_end_pdf"].time_ratio, "limit": PDF_TIME_RATIO},
        {"target": f"year-end PDF's whole job under {PDF_SECONDS:.0f} s",
         "value": rows["year_end_pdf_job"].portal.seconds, "limit": PDF_SECONDS},
    ]
    for target in targets:
        target["met"] = target["value"] <= target["limit"]
    return targets


def _memory_note(restarted: bool) -> str:
    if restarted:
        return "peak RSS (ru_maxrss) during the export less RSS before it, C allocations included"
    return ("peak RSS (ru_maxrss) less the peak before the export: this kernel would not reset the peak, so an "
            "export needing less than the imports did shows 0")


def _print_table(rows: dict[str, Row], targets: list[dict], repeat: int, restarted: bool, load: str) -> None:
    print(f"\n{'export':26} {'rows/pages':>10} {'portal s':>9} {'of it DB':>8} {'plain s':>8} "
          f"{'portal÷plain':>12} {'portal MiB':>10} {'plain MiB':>9}")
    for row in rows.values():
        print(f"{row.export:26} {row.size:>10,} {row.portal.seconds:9.2f} {row.portal.database_seconds:8.2f} "
              f"{row.plain.seconds:8.2f} {row.time_ratio:12.2f} {row.portal.peak_mib:10.1f} {row.plain.peak_mib:9.1f}")
    print(f"({os.cpu_count()} CPUs, load average {load}; the median of {repeat} fresh process(es) a case; "
          f"MiB: {_memory_note(restarted)})\n")
    for target in targets:
        print(f"{'met   ' if target['met'] else 'MISSED'} {target['target']}: {target['value']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="fresh processes a case; the median is shown")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)  # the process that takes the content
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)  # a measuring process
    parser.add_argument("--prepared", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.prepare:
        _setup_django()
        _prepare(options.prepare)
        return 0
    if options.case:
        print(json.dumps(_measure(options.case, options.prepared)))
        return 0
    if options.repeat < 1:
        parser.error("--repeat takes 1 or more")
    if not os.environ.get("DATABASE_URL"):
        print("Set DATABASE_URL to a database filled by `manage.py seed_demo --scale city`.", file=sys.stderr)
        return 2

    # Others' work on the machine slows both sides at random: the load average says how much there was.
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        prepared = Path(folder)
        started = time.monotonic()
        done = _child("--prepare", str(prepared))
        if done.returncode:
            print(f"Could not take the exports' content:\n{done.stderr[-3000:]}", file=sys.stderr)
            return 1
        print(f"Content taken from the portal's exporters in {time.monotonic() - started:.0f} s.", flush=True)
        try:
            results = _measure_all(prepared, options.repeat)
            rows = _rows(results)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
    restarted = all(result["peak_restarted"] for runs in results.values() for result in runs)
    load = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    targets = _targets(rows)
    _print_table(rows, targets, options.repeat, restarted, load)
    if options.json:
        options.json.write_text(json.dumps({
            "cpus": os.cpu_count(), "load_average": load, "repeat": options.repeat,
            "memory_mib": _memory_note(restarted),
            "exports": {key: {**asdict(row), "time_ratio": row.time_ratio} for key, row in rows.items()},
            "targets": targets, "runs": results}, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
