#!/usr/bin/env bash
# Exercises the production set-up on loopback: PostgreSQL (DATABASE_URL, an empty or Municipia
# database), Redis, gunicorn (DEBUG off, collected static files), a Celery worker and beat, and
# nginx with TLS (a throw-away self-signed certificate) built from deploy/nginx.conf.
# Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/municipia_smoke deploy/smoke.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${PY:-$ROOT/.venv/bin/python}
BIN=$(dirname "$PY")
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database for the smoke test}"
REDIS_PORT=${REDIS_PORT:-6391}
WEB_PORT=${WEB_PORT:-8191}
TLS_PORT=${TLS_PORT:-8443}
HTTP_PORT=${HTTP_PORT:-8081}
WORK=$(mktemp -d /tmp/municipia-smoke.XXXXXX)

export SECRET_KEY="smoke-$(head -c 30 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=127.0.0.1,localhost REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" TRUSTED_PROXIES=127.0.0.1
export MEDIA_ROOT="$WORK/media" HTTPS=1 CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$TLS_PORT" DEBUG=0
unset MUNICIPIA_TESTING

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; tail -n 30 "$WORK"/*.log >&2 || true; exit 1; }
wait_for() { for _ in $(seq 1 600); do [ "$(curl -sk -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0; sleep 0.5; done; fail "no answer 200 at $1"; }
status() { curl -sk -o /dev/null -w '%{http_code}' "$@"; }

command -v nginx >/dev/null || fail "nginx is not installed (apt-get install nginx-light)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
pids+=($!)
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py shell -v0 -c "
from django.contrib.auth.models import User
User.objects.filter(username='smoke').delete()
User.objects.create_user('smoke', 'smoke@example.org', 'smoke-pass-1234')
" >/dev/null
"$PY" manage.py axes_reset >/dev/null

GUNICORN_BIND="127.0.0.1:$WEB_PORT" GUNICORN_WORKERS=2 GUNICORN_ACCESS_LOG="$WORK/access.log" \
    "$BIN/gunicorn" -c deploy/gunicorn.conf.py municipia.wsgi > "$WORK/gunicorn.log" 2>&1 &
pids+=($!)
"$BIN/celery" -A municipia worker --concurrency=1 --loglevel=INFO > "$WORK/worker.log" 2>&1 &
pids+=($!)
"$BIN/celery" -A municipia beat --schedule="$WORK/beat-schedule" --loglevel=INFO > "$WORK/beat.log" 2>&1 &
pids+=($!)

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
# deploy/nginx.conf with this run's ports, certificate and static directory.
{
    echo "worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log;"
    echo "events { worker_connections 256; }"
    echo "http { include /etc/nginx/mime.types; access_log $WORK/nginx-access.log;"
    echo "client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;"
    sed -e "s#127.0.0.1:8000#127.0.0.1:$WEB_PORT#" \
        -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" -e "/listen \[::\]/d" \
        -e "s#listen 443 ssl http2;#listen 127.0.0.1:$TLS_PORT ssl http2;#" \
        -e "s#/etc/letsencrypt/live/municipia.example.org/fullchain.pem#$WORK/cert.pem#" \
        -e "s#/etc/letsencrypt/live/municipia.example.org/privkey.pem#$WORK/key.pem#" \
        -e "s#/srv/municipia/staticfiles/#$ROOT/staticfiles/#" \
        -e "s#return 301 https://\$host\$request_uri;#return 301 https://\$host:$TLS_PORT\$request_uri;#" \
        -e "s#shared:municipia:10m#shared:municipia_smoke:1m#" \
        deploy/nginx.conf
    echo "}"
} > "$WORK/nginx.conf"
nginx -t -c "$WORK/nginx.conf" -p "$WORK" 2>"$WORK/nginx-test.log" || fail "nginx configuration: $(cat "$WORK/nginx-test.log")"
nginx -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon off;' > "$WORK/nginx.log" 2>&1 &
pids+=($!)

BASE="https://127.0.0.1:$TLS_PORT"
wait_for "$BASE/en/"
checks=0
check() { checks=$((checks + 1)); echo "ok $checks - $1"; }

[ "$(status "$BASE/en/")" = 200 ] || fail "home page over TLS"; check "home page over TLS through nginx and gunicorn"
[ "$(status "http://127.0.0.1:$HTTP_PORT/en/")" = 301 ] || fail "plain HTTP is not redirected"; check "plain HTTP redirected to HTTPS"
[ "$(status "$BASE/static/css/municipia.css")" = 200 ] || fail "static file"; check "static files served by nginx"
curl -skI -o "$WORK/login-headers.txt" "$BASE/en/accounts/login/"  # a file: `curl | grep -q` races under pipefail
grep -qi "set-cookie: csrftoken=.*secure" "$WORK/login-headers.txt" || fail "CSRF cookie not secure"
check "cookies marked Secure behind the TLS proxy"

token=$(curl -sk -X POST "$BASE/api/v1/auth/token/" -d username=smoke -d password=smoke-pass-1234 | "$PY" -c "import json,sys; print(json.load(sys.stdin)['token'])")
[ "$(status -H "Authorization: Token $token" "$BASE/api/v1/plans/")" = 200 ] || fail "API with a token"
check "API token issued and accepted"

for n in 1 2 3 4 5; do
    curl -sk -o /dev/null -X POST "$BASE/api/v1/auth/token/" -H "X-Forwarded-For: 203.0.113.$n" -d username=smoke -d password=wrong
done
[ "$(status -X POST "$BASE/api/v1/auth/token/" -d username=smoke -d password=smoke-pass-1234)" = 429 ] \
    || fail "five wrong passwords with forged X-Forwarded-For did not lock the account"
check "lockout shared by both gunicorn workers; forged X-Forwarded-For replaced by nginx"
"$PY" manage.py axes_reset_username smoke >/dev/null
[ "$(status -X POST "$BASE/api/v1/auth/token/" -d username=smoke -d password=smoke-pass-1234)" = 200 ] || fail "unlock"
check "an administrator's unlock works"

result=$(DJANGO_SETTINGS_MODULE=municipia.settings "$PY" -c "
import django; django.setup()
from municipia.governance.tasks import send_reminders
print('done', send_reminders.delay().get(timeout=60))
")
echo "$result" | grep -q "^done" || fail "the Celery worker did not run a task"
grep -q "send_reminders" "$WORK/worker.log" || fail "the task did not run in the worker"
check "a background task ran in the Celery worker through Redis"
grep -q "beat: Starting" "$WORK/beat.log" || fail "beat did not start"
check "Celery beat started with the schedule"

"$PY" manage.py backup "$WORK/backup.zip" >/dev/null
check "backup of the PostgreSQL database: $(du -h "$WORK/backup.zip" | cut -f1)"
echo "$checks passed, 0 failed"
