"""Backups: one folder holding a consistent copy of the database, the media files, and a manifest to check a
restore against (row counts per table, a SHA-256 per file). ``manage.py backup`` and ``manage.py restore``
(``make backup``, ``make restore BACKUP=…``; README, "Backups").

Consistency: on PostgreSQL the row counts are read in a repeatable-read transaction whose snapshot pg_dump is
given, so the dump and the manifest describe the same moment; on SQLite the online backup API copies one
committed state and the counts are read from the copy. Media files are copied after the database; a file
removed meanwhile (an expired list export) is left out of the manifest, and its row, if it was in the dump, is
one the daily removal would have taken anyway. Sessions and the cache are not kept: they are live secrets
and counters, not records. A backup is readable by its owner only."""

import hashlib
import json
import os
import shutil
import sqlite3

# pg_dump and pg_restore: fixed programs, their arguments given as a list, never through a shell.
import subprocess  # nosec B404
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

__all__ = ["BackupError", "backup", "restore"]

DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """Said to the operator as it is: what is wrong and nothing changed."""


NOT_KEPT = ("django_session", "portal_cache")
LIBPQ_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                 "sslkey": "PGSSLKEY", "service": "PGSERVICE", "passfile": "PGPASSFILE"}


def _libpq_environment() -> dict:
    """The connection of Django's settings for pg_dump and pg_restore, without a password on the command line."""
    db = settings.DATABASES["default"]
    values = {"PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or ""), "PGUSER": db.get("USER") or "",
              "PGPASSWORD": db.get("PASSWORD") or "", "PGDATABASE": db["NAME"],
              **{variable: str(db.get("OPTIONS", {}).get(option) or "") for option, variable in LIBPQ_OPTIONS.items()}}
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _tables(cursor) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def _counts(cursor, tables) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        if table in NOT_KEPT:
            continue
        # The names come from the database's own list of tables, quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # nosec B608
        counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(path.relative_to(root)): _sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


class _Hashing:
    """A file read by tarfile, hashed on the way."""

    def __init__(self, stream):
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size=-1):
        block = self.stream.read(size)
        self.digest.update(block)
        return block


def _archive_media(root: Path, target: Path) -> dict[str, str]:
    """Tar the media files and hash them in the same read; a file removed meanwhile is left out."""
    files = {}
    with tarfile.open(target, "w:gz") as archive:
        for path in sorted(root.rglob("*")) if root.exists() else []:
            name = str(path.relative_to(root))
            try:
                with path.open("rb") as stream:
                    info = archive.gettarinfo(fileobj=stream, arcname=name)
                    if not info.isfile():
                        continue
                    reader = _Hashing(stream)
                    archive.addfile(info, reader)
            except (FileNotFoundError, IsADirectoryError):
                continue
            files[name] = reader.digest.hexdigest()
    return files


def _dump_postgresql(folder: Path) -> dict[str, int]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor, _tables(cursor))
        # pg_dump from PATH, as the operator's shell finds it; the arguments are ours.
        result = subprocess.run(  # nosec B603 B607
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             *[f"--exclude-table-data={table}" for table in NOT_KEPT],
             f"--file={folder / DUMP['postgresql']}"], env=_libpq_environment(), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts


def _dump_sqlite(folder: Path) -> dict[str, int]:
    connection.ensure_connection()
    with closing(sqlite3.connect(folder / DUMP["sqlite"])) as copy:
        connection.connection.backup(copy)
        tables = [name for (name,) in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in NOT_KEPT:
            if table in tables:
                copy.execute(f'DELETE FROM "{table}"')  # nosec B608
                tables.remove(table)
        copy.commit()
        copy.execute("VACUUM")  # the deleted sessions' pages go too
        # The names come from sqlite_master, the database's own list of tables.
        return {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # nosec B608
                for table in tables}


def backup(destination: Path) -> Path:
    """Write a new backup folder under ``destination`` and return it."""
    vendor = connection.vendor
    if vendor not in DUMP:
        raise BackupError(f"No backup for a {vendor} database.")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    destination = Path(destination).resolve()
    if destination.is_relative_to(media_root) or media_root.is_relative_to(destination):
        raise BackupError(f"Write backups outside the media folder {media_root}, and not around it.")
    folder = destination / timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if folder.exists():
        raise BackupError(f"{folder} exists already; wait a second and run again.")
    destination.mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=0o700)
    previous_umask = os.umask(0o077)  # the dump holds every person's data and the password hashes
    try:
        counts = _dump_postgresql(folder) if vendor == "postgresql" else _dump_sqlite(folder)
        files = _archive_media(media_root, folder / MEDIA)
        manifest = {"created_at": timezone.now().isoformat(), "engine": vendor, "tables": counts, "files": files}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a half-written backup is no backup
        raise
    finally:
        os.umask(previous_umask)
    return folder


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a backup: {error}") from None


def _require_empty_target(media_root: Path) -> None:
    with connection.cursor() as cursor:
        if _tables(cursor):
            raise BackupError("The database is not empty: restore only into a new, empty database.")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty: restore only into an empty one.")


def _extract_media(folder: Path, manifest: dict, media_root: Path) -> Path:
    """The media files unpacked beside the media folder and checked against the manifest, before anything else
    is touched; returns the folder that becomes the media folder once the database is in."""
    staging = media_root.parent / f".restore-{media_root.name}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            archive.extractall(staging, filter="data")
    except (OSError, tarfile.TarError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"The media archive cannot be read, nothing was restored: {error}") from None
    files = _media_files(staging)
    if files != manifest["files"]:
        shutil.rmtree(staging, ignore_errors=True)
        differ = sorted(set(files.items()) ^ set(manifest["files"].items()))[:5]
        raise BackupError(f"The media files differ from the manifest, nothing was restored: {differ}")
    return staging


def restore(folder: Path) -> dict:
    """Bring a backup back into an empty database and media folder, checked against the manifest: the media
    files first (unpacked aside), then the database in one transaction, then the files take their place."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"This backup is of a {manifest['engine']} database; the settings name a {vendor} one.")
    media_root = Path(settings.MEDIA_ROOT)
    _require_empty_target(media_root)
    staging = _extract_media(folder, manifest, media_root)
    try:
        if vendor == "postgresql":
            connection.close()
            # pg_restore from PATH, as the operator's shell finds it; the arguments are ours.
            result = subprocess.run(  # nosec B603 B607
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 f"--dbname={settings.DATABASES['default']['NAME']}", str(folder / DUMP["postgresql"])],
                env=_libpq_environment(), capture_output=True, text=True)
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed, nothing was restored: {result.stderr.strip()}")
        else:
            connection.ensure_connection()
            with closing(sqlite3.connect(folder / DUMP["sqlite"])) as source:
                source.backup(connection.connection)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # pg_restore leaves the planner no statistics: the first pages would crawl. The names are the
            # database's own list of the tables just restored.
            cursor.execute("ANALYZE " + ", ".join(map(connection.ops.quote_name, _tables(cursor))))  # nosec B608
        counts = _counts(cursor, _tables(cursor))
    if media_root.exists():
        media_root.rmdir()  # empty, as checked above
    staging.rename(media_root)
    if counts != manifest["tables"]:
        differ = sorted(set(counts.items()) ^ set(manifest["tables"].items()))[:5]
        raise BackupError(f"The restored rows differ from the backup's manifest: {differ}")
    from reports import caching

    caching.new_version()  # figures kept in a shared cache (Redis) were read from the data now replaced
    return {"tables": len(counts), "rows": sum(counts.values()), "files": len(manifest["files"])}
