"""Backups: `manage.py backup` writes a consistent copy of the database and the media files; `manage.py restore`
brings it back into an empty database and media folder, with the same rows and the same files."""

import io
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from members.backups import MANIFEST
from members.models import Member
from reports import services as report_services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]


def _restore_in_a_new_process(folder: Path, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_MEDIA_ROOT": str(media_root)}
    return subprocess.run([sys.executable, "manage.py", "restore", str(folder)], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def empty_database(tmp_path):
    """A new empty database of the same engine as the suite's: a file for SQLite, a database for PostgreSQL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = settings.DATABASES["default"]
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _counts(database_url: str, tables) -> dict:
    if database_url.startswith("sqlite"):
        import sqlite3
        from contextlib import closing

        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as restored:
            return {table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as restored:
        return {table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_files(
        tree, grassroots_committee, tmp_path, settings, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    MemberFactory.create_batch(5, unit=tree.branch_a)
    kept = report_services.archive_file(actor=grassroots_committee, unit=tree.g1, title="Danh sách", content=b"x" * 99,
                                        extension="pdf", content_type="application/pdf")
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    folder = Path(out.getvalue().strip())
    assert {path.name for path in folder.iterdir()} >= {MANIFEST, "media.tar.gz"}
    assert folder.stat().st_mode & 0o077 == 0 and all(path.stat().st_mode & 0o077 == 0 for path in folder.iterdir())
    assert "django_session" not in json.loads((folder / MANIFEST).read_text())["tables"]  # live secrets stay out

    database_url, _name = empty_database
    restored_media = tmp_path / "restored-media"
    result = _restore_in_a_new_process(folder, database_url, restored_media)
    assert result.returncode == 0, result.stderr
    assert "they match the backup" in result.stdout
    tables = [Member._meta.db_table, "reports_archivedfile", "members_unit", "django_migrations"]
    with connection.cursor() as cursor:
        expected = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            expected[table] = cursor.fetchone()[0]
    assert _counts(database_url, tables) == expected and expected[Member._meta.db_table] >= 5
    assert (restored_media / kept.file.name).read_bytes() == b"x" * 99

    # Never over data: a second restore into the now full database is refused and changes nothing.
    again = _restore_in_a_new_process(folder, database_url, tmp_path / "other-media")
    assert again.returncode != 0 and "not empty" in again.stderr
    assert _counts(database_url, tables) == expected


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path))


def test_a_backup_is_not_written_into_the_media_folder(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(CommandError, match="outside the media folder"):
        call_command("backup", output=str(tmp_path / "media" / "backups"))


def test_a_damaged_media_archive_restores_nothing(tree, tmp_path, settings, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    folder = Path(out.getvalue().strip())
    (folder / "media.tar.gz").write_bytes(b"not a tar")
    database_url, _name = empty_database
    result = _restore_in_a_new_process(folder, database_url, tmp_path / "restored-media")
    assert result.returncode != 0 and "nothing was restored" in result.stderr
    assert _restore_in_a_new_process(folder, database_url, tmp_path / "restored-media").stderr.count(
        "nothing was restored") == 1  # still empty: refused for the same reason, not for "not empty"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite's online copy holds the writer off for the whole copy; the server database is "
                           "where a backup runs beside people at work")
def test_a_backup_taken_while_people_write_is_one_moment_of_the_database(tree, tmp_path, settings, empty_database):
    """A writer adds members as fast as it can through the whole backup. The dump, the manifest's counts and the
    restored database must all be the same single moment: a count read a little before or after the dump would
    make the restore refuse (it compares every table with the manifest)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    writing, written = threading.Event(), []

    def write():
        try:
            while not writing.is_set() or len(written) < 3:
                written.append(MemberFactory(unit=tree.branch_a).pk)
        finally:
            connections.close_all()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 3:  # the writer is at work before the backup starts
            assert writer.is_alive(), "the writer stopped before the backup began"
            time.sleep(0.01)
        before = len(written)
        out = io.StringIO()
        call_command("backup", output=str(tmp_path / "backups"), stdout=out)
        during = len(written) - before
    finally:
        writing.set()
        writer.join(timeout=60)
    assert during > 0  # rows really arrived while the backup ran

    result = _restore_in_a_new_process(Path(out.getvalue().strip()), empty_database[0], tmp_path / "restored-media")
    assert result.returncode == 0, result.stderr
    restored = _counts(empty_database[0], [Member._meta.db_table])[Member._meta.db_table]
    assert 3 <= restored < Member.objects.count()  # a moment in the middle of the writing, whole
