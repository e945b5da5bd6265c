#!/bin/sh
# `make serve`: the production set on this machine, DEBUG off:
#   gunicorn (deploy/gunicorn.conf.py) + Celery worker + Celery beat,
#   against DATABASE_URL (default: var/mkk.sqlite3) and MKK_BROKER_URL
#   (default: redis://127.0.0.1:6379/0).
# With no SECRET_KEY/MKK_FIELD_KEYS/MKK_PSEUDONYM_KEY in the environment it makes THROWAWAY
# keys in var/serve-keys.env for a local run only: data encrypted with them is unreadable
# with any other key. Never use them for real data.
set -eu
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var
export DEBUG=False
export MKK_BROKER_URL="${MKK_BROKER_URL:-redis://127.0.0.1:6379/0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-False}"  # plain http on this machine
export MKK_BIND="${MKK_BIND:-127.0.0.1:${PORT:-8000}}"
export MKK_WEB_WORKERS="${MKK_WEB_WORKERS:-2}"
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-$PWD/var/prometheus}"

if [ -z "${SECRET_KEY:-}" ] || [ -z "${MKK_FIELD_KEYS:-}" ] || [ -z "${MKK_PSEUDONYM_KEY:-}" ]; then
  KEYS=var/serve-keys.env
  if [ ! -f "$KEYS" ]; then
    umask 077
    $BIN/python - >"$KEYS" <<'PY'
import secrets
from cryptography.fernet import Fernet
print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"MKK_FIELD_KEYS={Fernet.generate_key().decode()}")
print(f"MKK_PSEUDONYM_KEY={secrets.token_urlsafe(32)}")
PY
  fi
  echo "WARNING: using THROWAWAY keys from $KEYS (local run only, never for real data)."
  set -a; . "./$KEYS"; set +a
fi

$BIN/python manage.py migrate --noinput
$BIN/python manage.py collectstatic --noinput -v 0

PIDS=""
cleanup() {
  for pid in $PIDS; do kill "$pid" 2>/dev/null || true; done
  wait
}
trap cleanup EXIT INT TERM

if $BIN/python -c "import mkk.config.celery" 2>/dev/null; then
  $BIN/celery -A mkk.config.celery worker -l INFO &
  PIDS="$PIDS $!"
  $BIN/celery -A mkk.config.celery beat -l INFO &
  PIDS="$PIDS $!"
else
  echo "NOTE: mkk.config.celery is not there yet: serving without worker and scheduler."
fi
echo "Serving http://$MKK_BIND (DEBUG off; database ${DATABASE_URL:-sqlite var/mkk.sqlite3}; broker $MKK_BROKER_URL)"
$BIN/gunicorn -c deploy/gunicorn.conf.py mkk.config.wsgi &
PIDS="$PIDS $!"
wait
