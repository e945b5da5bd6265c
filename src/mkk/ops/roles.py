"""Two PostgreSQL roles: the migration owner and the runtime role.

* The **owner** (e.g. ``mkk_owner``) owns the database objects and runs ``migrate``.
* The **runtime** role (e.g. ``mkk_app``) is what gunicorn and the worker connect as. It may
  read and write the application's tables, but on the audit table only INSERT and SELECT:
  no UPDATE, DELETE or TRUNCATE, and, not being the owner, it cannot ALTER the table or
  DISABLE the append-only trigger. A compromised application can add to the audit log but
  not rewrite it.

``setup_sql`` is run once by a superuser; ``grant_sql`` after every ``migrate`` (new tables),
by the owner (``manage.py db_roles --apply``) or by a superuser.
"""

from __future__ import annotations

import re

AUDIT_TABLE = "audit_auditentry"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _ident(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a plain PostgreSQL name (a-z, 0-9, _)")
    return name


def setup_sql(*, database: str, owner: str, runtime: str) -> str:
    db, owner, runtime = _ident(database), _ident(owner), _ident(runtime)
    return f"""-- 1. Once, as a PostgreSQL superuser (sudo -u postgres psql):
CREATE ROLE {owner} LOGIN PASSWORD 'CHANGE-ME-owner';
CREATE ROLE {runtime} LOGIN PASSWORD 'CHANGE-ME-runtime' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE {db} OWNER {owner} ENCODING 'UTF8';
REVOKE ALL ON DATABASE {db} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {owner};
GRANT CONNECT ON DATABASE {db} TO {runtime};
\\connect {db}
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO {owner};
"""


_GRANTS = """-- 2. After every `migrate` (as {owner}: manage.py db_roles --apply):
GRANT USAGE ON SCHEMA public TO {runtime};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {runtime};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {runtime};
-- The audit table (once it exists, i.e. after the first migrate): INSERT and SELECT only.
DO $$ BEGIN
  IF to_regclass('public.{audit}') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {runtime};
    GRANT SELECT, INSERT ON {audit} TO {runtime};
  END IF;
END $$;
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {runtime};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO {runtime};
"""


def grant_sql(*, owner: str, runtime: str) -> str:
    # Names are checked by _ident (plain lower-case identifiers only).
    return _GRANTS.format(owner=_ident(owner), runtime=_ident(runtime), audit=AUDIT_TABLE)


def grant_script(*, owner: str, runtime: str) -> str:
    """grant_sql without its comment lines, run as one script through a cursor."""
    return "\n".join(
        line
        for line in grant_sql(owner=owner, runtime=runtime).splitlines()
        if not line.startswith("--")
    )
