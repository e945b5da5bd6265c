"""Backups of MKK: the database, the private files and a manifest with SHA-256 checksums.

A backup folder holds:
  database.dump      PostgreSQL: ``pg_dump --format=custom`` (no owner, no grants)
  database.sqlite3   SQLite: a consistent copy made with SQLite's online backup API
  files/...          every file of the "private" storage (evidence, frozen reports, ...)
  manifest.json      what is in it: checksums and sizes of every file, row counts of every
                     table, the last migration of each app, fingerprints of the keys in use

The keys (SECRET_KEY, MKK_FIELD_KEYS, MKK_PSEUDONYM_KEY) are NEVER written into a backup:
they are escrowed separately (README, "Backups"). Without MKK_FIELD_KEYS a restored
database has its identity fields unreadable; the manifest keeps only a fingerprint
(a SHA-256 prefix) of each key, so a restore can say whether the right keys are present.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with fixed arguments
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
SKIP_PREFIXES = ("health/",)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def key_fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def key_fingerprints() -> dict:
    return {
        "MKK_FIELD_KEYS": [key_fingerprint(k) for k in settings.MKK_FIELD_KEYS],
        "MKK_PSEUDONYM_KEY": key_fingerprint(settings.MKK_PSEUDONYM_KEY or ""),
    }


def row_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    counts = {}
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and table in tables and table not in counts:
                # Reviewed: the table name comes from the model registry and is quoted.
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608  # nosemgrep: mkk-raw-sql-string
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _pg_env(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = db["NAME"]
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    if not shutil.which(args[0]):
        raise BackupError(f"{args[0]} is not installed (Debian: apt install postgresql-client).")
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def _walk(storage, folder: str = ""):
    try:
        dirs, names = storage.listdir(folder)
    except FileNotFoundError:  # a local private folder not created yet
        return
    for name in sorted(names):
        path = f"{folder}{name}"
        if name.startswith(".partial-") or path.startswith(SKIP_PREFIXES):
            continue
        yield path
    for sub in sorted(dirs):
        yield from _walk(storage, f"{folder}{sub}/")


def _private_file(path: Path) -> None:
    path.chmod(0o600)


def backup(output: Path, *, alias: str = DEFAULT_DB_ALIAS) -> dict:
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty: give a new or empty folder.")
    output.mkdir(parents=True, exist_ok=True, mode=0o700)
    output.chmod(0o700)
    connection = connections[alias]
    vendor = connection.vendor
    manifest: dict = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": vendor,
        "keys": "not included: SECRET_KEY, MKK_FIELD_KEYS and MKK_PSEUDONYM_KEY are escrowed "
        "separately",
        "key_fingerprints": key_fingerprints(),
        "migrations": {},
    }
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > manifest["migrations"].get(app, ""):
            manifest["migrations"][app] = name
    if vendor == "postgresql":
        # One snapshot for the dump and the row counts: pg_dump reads exactly what the
        # counts saw, even while the service keeps writing.
        db_file = output / "database.dump"
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest["counts"] = row_counts(alias)
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
                + [f"--snapshot={snapshot}", "--file", str(db_file)],
                _pg_env(alias),
            )
    elif vendor == "sqlite":
        db_file = output / "database.sqlite3"
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        target = sqlite3.connect(str(db_file))
        try:
            source.backup(target)  # consistent even while the service writes
            tables = row_counts(alias).keys()
            manifest["counts"] = {
                # Reviewed: t is a table name from the model registry (row_counts), quoted.
                t: target.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608  # nosec B608  # nosemgrep: mkk-raw-sql-string
                for t in tables
            }
        finally:
            target.close()
            source.close()
    else:
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    _private_file(db_file)
    manifest["database"] = {
        "file": db_file.name,
        "sha256": sha256_file(db_file),
        "size": db_file.stat().st_size,
    }
    storage = storages["private"]
    files = []
    for name in _walk(storage):
        target = output / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with storage.open(name, "rb") as src, open(target, "xb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        _private_file(target)
        files.append({"path": name, "sha256": sha256_file(target), "size": target.stat().st_size})
    manifest["files"] = files
    path = output / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    _private_file(path)
    return manifest


def verify(folder: Path) -> dict:
    """The manifest, after checking every checksum; BackupError naming what is wrong."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder / MANIFEST} cannot be read: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    wrong = []
    db = manifest["database"]
    db_path = folder / db["file"]
    if not db_path.is_file() or sha256_file(db_path) != db["sha256"]:
        wrong.append(db["file"])
    for entry in manifest["files"]:
        path = folder / FILES / entry["path"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            wrong.append(f"{FILES}/{entry['path']}")
    if wrong:
        raise BackupError("Checksums do not match for: " + ", ".join(wrong))
    return manifest


def _database_is_empty(alias: str) -> bool:
    tables = connections[alias].introspection.table_names()
    return not [t for t in tables if not t.startswith("sqlite_")]


def restore(folder: Path, *, alias: str = DEFAULT_DB_ALIAS, force: bool = False) -> dict:
    folder = Path(folder)
    manifest = verify(folder)
    connection = connections[alias]
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"The backup is of a {manifest['vendor']} database; DATABASE_URL is "
            f"{connection.vendor}."
        )
    if not force and not _database_is_empty(alias):
        raise BackupError(
            "The target database is not empty. Restore into a new, empty database "
            "(or give --force to overwrite this one)."
        )
    storage = storages["private"]
    if not force and list(_walk(storage)):
        raise BackupError(
            "The private storage already holds files. Restore into an empty folder/bucket "
            "(or give --force)."
        )
    db_path = folder / manifest["database"]["file"]
    if connection.vendor == "postgresql":
        connection.close()
        args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        args += ["--clean", "--if-exists"] if force else ["--single-transaction"]
        args += ["--dbname", connection.settings_dict["NAME"], str(db_path)]
        _run(args, _pg_env(alias))
    else:
        target_name = str(connection.settings_dict["NAME"])
        connection.close()
        source = sqlite3.connect(str(db_path))
        target = sqlite3.connect(target_name)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    for entry in manifest["files"]:
        with open(folder / FILES / entry["path"], "rb") as fh:
            if force and storage.exists(entry["path"]):
                storage.delete(entry["path"])
            saved = storage.save(entry["path"], File(fh))
        if saved != entry["path"]:
            raise BackupError(f"{entry['path']} was stored as {saved}: storage not empty?")
        digest = hashlib.sha256()
        with storage.open(saved, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"{entry['path']} differs after restoring it.")
    return manifest


def restore_report(manifest: dict, *, alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Differences between the manifest and the restored database (empty = all equal)."""
    problems = []
    counts = row_counts(alias)
    for table, expected in manifest["counts"].items():
        if counts.get(table) != expected:
            problems.append(f"{table}: {counts.get(table)} rows, backup had {expected}")
    fingerprints = key_fingerprints()
    backed = manifest.get("key_fingerprints", {})
    used = set(backed.get("MKK_FIELD_KEYS", []))
    if used and not used & set(fingerprints["MKK_FIELD_KEYS"]):
        problems.append("none of the MKK_FIELD_KEYS of the backup is set: identities unreadable")
    if backed.get("MKK_PSEUDONYM_KEY") not in (None, fingerprints["MKK_PSEUDONYM_KEY"]):
        problems.append("MKK_PSEUDONYM_KEY differs from the backup's: victim keys will not match")
    return problems
