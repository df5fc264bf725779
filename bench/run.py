"""`make bench`: every benchmark at city scale and at metro scale (ten times more), each scale on a PostgreSQL
cluster of its own filled by `seed_demo --scale`, and the results with the machine and the date written to
bench/RESULTS.md (the figures also to bench/results.json).

    .venv/bin/python bench/run.py [--scales city,metro] [--seconds 10] [--repeat 1]
                                  [--database-url-city URL] [--database-url-metro URL]

A --database-url-SCALE reuses a database already seeded at that scale instead of creating one (minutes at metro).
The figures of a scale (or a part, with --skip) not measured in this run are kept from bench/results.json, each
table saying when it was measured.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402
from common import PYTHON, ROOT, require_wrk, scratch_database  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
FIGURES = ROOT / "bench" / "results.json"


def run_exports(env: dict, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        output = Path(folder) / "exports.json"
        subprocess.run([PYTHON, str(ROOT / "bench" / "exports.py"), "--repeat", str(repeat), "--json", str(output)],
                       cwd=ROOT, env=env, check=True)
        return json.loads(output.read_text())


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
    pg_ctl = shutil.which("pg_ctl") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))), None)
    postgres = subprocess.run([str(pg_ctl), "--version"], capture_output=True, text=True).stdout.strip() \
        if pg_ctl else "PostgreSQL (version unknown)"
    versions = subprocess.run([PYTHON, "-c", "import django, openpyxl, weasyprint, gunicorn; print(django.__version__, "
                               "openpyxl.__version__, weasyprint.__version__, gunicorn.__version__)"],
                              capture_output=True, text=True, check=True).stdout.split()
    return {"date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"), "cpu": cpu,
            "cores": os.cpu_count(), "memory_gib": round(memory_kib / 1024 / 1024, 1),
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "postgresql": postgres or "unknown", "django": versions[0], "openpyxl": versions[1],
            "weasyprint": versions[2], "gunicorn": versions[3]}


def _pages_table(rows: list[dict]) -> list[str]:
    lines = ["| page | req/s | p50 ms | p99 ms | ÷ floor | target ÷ floor | p99 < 250 ms and share met |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        lines.append(f"| {row['label']} | {row['rps']:.1f} | {row['p50']:.1f} | {row['p99']:.1f} | "
                     f"{row['share_of_floor']:.2f} | {pages.SHARE_OF_FLOOR[row['kind']]:.2f} | "
                     f"{'yes' if row['meets'] else 'no'} |")
    return lines


def _page_rows(results: dict) -> list[str]:
    lines = []
    for scale, result in results.items():
        if "pages" not in result:
            continue
        pages_result = result["pages"]
        lines += [f"### Pages at {scale} scale (measured {pages_result['measured']})", "",
                  f"{pages_result['connections']} connections, {pages_result['seconds']} s a page, gunicorn with "
                  f"{pages_result['workers']} sync workers, PostgreSQL on the same machine, the cache in the "
                  "database (the default). Each page's share is of the floor measured just before and just after "
                  "it; the floor's row is the mean of those measures.", "", *_pages_table(pages_result["pages"])]
        if pages_result.get("drawn_pages"):
            lines += ["", "The same pages drawn by their views on every request (`DJANGO_PAGE_CACHE_MINUTES=0`: from "
                          "the figures, counts and rows kept below them), as a reader finds them the first time "
                          "after the data changed:", "", *_pages_table(pages_result["drawn_pages"])]
        shared = pages_result["two_servers"]
        lines += ["", f"Two app servers on one address (SO_REUSEPORT), one database: member list {shared['rps']:.1f} "
                      f"req/s, p50 {shared['p50']:.1f} ms, p99 {shared['p99']:.1f} ms; requests answered by each "
                      f"server: {' and '.join(map(str, shared['served_by_each']))}; answers other than 200: "
                      f"{shared['not_200']}.", ""]
        if pages_result.get("redis_pages"):
            lines += ["The same pages with the cache and the sessions in Redis (`DJANGO_REDIS_URL`, a throwaway "
                      "redis-server on the same machine), as a larger deployment runs them:", "",
                      *_pages_table(pages_result["redis_pages"]), ""]
        if pages_result.get("busy"):
            busy = pages_result["busy"]
            lines += [f"A busy hour: {busy['readers']} readers of the same account, each with a session of their own, "
                      "coming back in turn (each request the next reader's), while a writer commits "
                      f"{busy['writes_per_second']} changes of commitments a second across the city ({busy['writes']} "
                      f"in {busy['measured_seconds']} s). The pages that show commitments (a branch's list, the "
                      "dashboard) are drawn again for each reader after each change; the others stay kept. The "
                      "dashboard shows the figures of before the latest changes, and says so, while they are counted "
                      "after an answer, no sooner than eight times their counting time after the last count began:", "",
                      *_pages_table(busy["rows"]), ""]
        if pages_result.get("other_lists"):
            lines += ["Every other list kept for its reader, as the city union's committee member opens it "
                      f"({pages_result['seconds']} s a page, the database's cache):", "",
                      *_pages_table(pages_result["other_lists"]), ""]
    return lines


def _export_rows(results: dict) -> list[str]:
    lines = []
    for scale, result in results.items():
        if "exports" not in result:
            continue
        exports = result["exports"]
        lines += [f"### Exports at {scale} scale (measured {exports['measured']})", "",
                  f"Median of {exports['repeat']} fresh process(es) a case. Memory: {exports['memory_mib']}.", "",
                  "| export | rows or pages | portal s | of it database s | plain library s | portal ÷ plain | "
                  "portal MiB | plain MiB |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for row in exports["exports"].values():
            lines.append(f"| {row['export']} | {row['size']:,} | {row['portal']['seconds']:.2f} | "
                         f"{row['portal']['database_seconds']:.2f} | {row['plain']['seconds']:.2f} | "
                         f"{row['time_ratio']:.2f} | {row['portal']['peak_mib']:.1f} | "
                         f"{row['plain']['peak_mib']:.1f} |")
        lines += ["", *(f"- {'met' if target['met'] else '**missed**'}: {target['target']}: {target['value']:.2f}"
                        for target in exports["targets"]), ""]
    return lines


def _growth_rows(results: dict) -> list[str]:
    if not all(scale in results and "pages" in results[scale] for scale in ("city", "metro")):
        return []
    lines = ["### Growth: metro ÷ city (ten times the members and branches)", "",
             "| figure | city | metro | metro ÷ city |", "|---|---:|---:|---:|"]
    for city_row, metro_row in zip(results["city"]["pages"]["pages"], results["metro"]["pages"]["pages"],
                                   strict=True):
        for name, label in (("p99", "p99 ms"), ("rps", "req/s")):
            lines.append(f"| {city_row['label']}, {label} | {city_row[name]:.1f} | {metro_row[name]:.1f} | "
                         f"{metro_row[name] / city_row[name]:.2f} |")
    if all("exports" in results[scale] for scale in ("city", "metro")):
        for key, city_row in results["city"]["exports"]["exports"].items():
            metro_row = results["metro"]["exports"]["exports"][key]
            lines.append(f"| {city_row['export']} ({city_row['size']:,} → {metro_row['size']:,}), portal s | "
                         f"{city_row['portal']['seconds']:.2f} | {metro_row['portal']['seconds']:.2f} | "
                         f"{metro_row['portal']['seconds'] / city_row['portal']['seconds']:.2f} |")
    return [*lines, ""]


def write_results(figures: dict) -> None:
    about = figures["machine"]
    lines = [
        "# Benchmark results", "",
        f"Written by `make bench` (bench/run.py) on {about['date']}. Every figure of a table comes from the same "
        "run, so the ratios hold even where the absolute numbers drift between runs.", "",
        "How to read them: the floor page costs this stack under a millisecond of one core. A signed-in page "
        "reads its session and the person with the count of their unread notifications (one statement each) and "
        "checks the idle limit; the lists and dashboards then answer from the page kept for that reader while "
        "the tables it was drawn from are unchanged (one read of the cache), or, when one of them has changed, "
        "draw it again from the figures and rows kept below it. The pages are measured as a reader who comes back "
        "to them sees them, then drawn every time, then read by many readers in turn while commitments change; "
        "each page is measured after a 2-second warm-up.", "",
        "## Machine", "",
        f"- {about['cpu']}, {about['cores']} cores, {about['memory_gib']} GiB of memory; {about['system']}",
        f"- Python {about['python']}, Django {about['django']}, gunicorn {about['gunicorn']}, openpyxl "
        f"{about['openpyxl']}, WeasyPrint {about['weasyprint']}; {about['postgresql']}",
        "- Everything on this one machine: PostgreSQL, the app servers and wrk (or the export processes) share its "
        "cores.", "",
        "## Data", "",
        "`seed_demo --scale city`: 5 sector unions, 100 grassroots unions, 500 branches, 50,000 members with a year "
        "of commitments (pledges, evidence), projects, activities with attendance, initiatives and a city-wide "
        "campaign that every branch registered for. `--scale metro`: ten times that (50 sector unions, 5,000 "
        "branches, 500,000 members).", "",
        "## Results", "",
        *_page_rows(figures["results"]), *_export_rows(figures["results"]), *_growth_rows(figures["results"]),
    ]
    RESULTS.write_text("\n".join(lines).rstrip() + "\n")
    FIGURES.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="city,metro")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--database-url-city")
    parser.add_argument("--database-url-metro")
    parser.add_argument("--skip", choices=["pages", "exports"], action="append", default=[])
    options = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it comes, also into a log file
    require_wrk()
    figures = {"machine": machine(), "results": {}}
    if FIGURES.exists():  # what this run does not measure stays as last measured
        figures["results"] = json.loads(FIGURES.read_text()).get("results", {})
    failed = False
    for scale in options.scales.split(","):
        result = figures["results"].setdefault(scale, {})
        with scratch_database(scale, getattr(options, f"database_url_{scale}")) as (folder, env):
            if "pages" not in options.skip:
                result["pages"] = pages.measure(env, folder, seconds=options.seconds, connections=8, workers=4)
                result["pages"]["measured"] = machine()["date"]
                pages.print_table(scale, result["pages"])
                failed |= pages.failed(result["pages"])
            if "exports" not in options.skip:
                result["exports"] = run_exports(env, options.repeat)
                result["exports"]["measured"] = machine()["date"]
        write_results(figures)  # what is measured so far, should a later scale fail
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
