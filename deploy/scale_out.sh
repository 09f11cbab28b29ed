#!/usr/bin/env bash
# Exercises Municipia past one machine, on loopback: two web "hosts" (two gunicorn processes, each
# with its own empty MEDIA_ROOT so that nothing can pass through a shared disk), a Celery worker
# (a third MEDIA_ROOT), one PostgreSQL, one Redis (shared cache and job broker; sessions live in
# PostgreSQL) and an S3-compatible object store (moto's local server, standing in for the
# provider) holding every file. A user signs in on one host and is signed in on the other; an
# edit through one host shows at once on the other's cached page; a report asked for on one host
# is rendered by the worker into the bucket and downloaded through the other.
# Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/municipia_scale deploy/scale_out.sh
set -euo pipefail  # (no `curl | grep -q`: grep's early exit would fail curl under pipefail)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${PY:-$ROOT/.venv/bin/python}
BIN=$(dirname "$PY")
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database for the scale-out run}"
REDIS_PORT=${REDIS_PORT:-6392}
S3_PORT=${S3_PORT:-9392}
HOST_A=${HOST_A:-127.0.0.1:8291}
HOST_B=${HOST_B:-127.0.0.1:8292}
WORK=$(mktemp -d /tmp/municipia-scale.XXXXXX)

export SECRET_KEY="scale-$(head -c 30 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=127.0.0.1,localhost REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" DEBUG=0
export S3_BUCKET=municipia-scale S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" S3_REGION=eu-west-1
export AWS_ACCESS_KEY_ID=scale-key AWS_SECRET_ACCESS_KEY=scale-secret
# The hosts are reached directly here; in production the load balancer terminates TLS (see smoke.sh).
export HTTPS=0
unset MUNICIPIA_TESTING

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; tail -n 30 "$WORK"/*.log >&2 || true; exit 1; }
wait_for() { for _ in $(seq 1 240); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0; sleep 0.5; done; fail "no answer 200 at $1"; }
checks=0
check() { checks=$((checks + 1)); echo "ok $checks - $1"; }
bucket_keys() {
    "$PY" -c "
import boto3, os
s3 = boto3.client('s3', endpoint_url=os.environ['S3_ENDPOINT_URL'], region_name=os.environ['S3_REGION'])
print('\n'.join(o['Key'] for o in s3.list_objects_v2(Bucket=os.environ['S3_BUCKET']).get('Contents', [])))"
}

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
pids+=($!)
"$PY" -m moto.server -H 127.0.0.1 -p "$S3_PORT" > "$WORK/s3.log" 2>&1 &
pids+=($!)
wait_for "$S3_ENDPOINT_URL/moto-api/"
"$PY" -c "
import boto3, os
s3 = boto3.client('s3', endpoint_url=os.environ['S3_ENDPOINT_URL'], region_name=os.environ['S3_REGION'])
s3.create_bucket(Bucket=os.environ['S3_BUCKET'], CreateBucketConfiguration={'LocationConstraint': os.environ['S3_REGION']})"

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
# A council, its editor and a published plan with one action, written through the services.
"$PY" manage.py shell -v0 -c "
import datetime as dt
from django.contrib.auth.models import User
from municipia.organizations.models import Organization, Role
from municipia.strategy.models import Plan
from municipia.strategy import services
User.objects.filter(username='scale-editor').delete()
Plan.objects.filter(slug='scale-out-plan').delete()
council, _ = Organization.objects.get_or_create(slug='scale-out-council', defaults={'kind': 'municipality', 'name_en': 'Scale-out council'})
editor = User.objects.create_user('scale-editor', 'editor@example.org', 'scale-pass-1234')
Role.objects.create(user=editor, organization=council, kind='editor')
plan = services.plan_create(acting_user=editor, owner=council, data={
    'title_en': 'Scale-out plan', 'slug': 'scale-out-plan', 'period_start': dt.date(2026, 1, 1),
    'period_end': dt.date(2029, 12, 31), 'is_published': True})
" >/dev/null
"$PY" manage.py axes_reset >/dev/null

for host in A B; do
    bind=$([ $host = A ] && echo "$HOST_A" || echo "$HOST_B")
    mkdir -p "$WORK/media-$host"
    MEDIA_ROOT="$WORK/media-$host" GUNICORN_BIND="$bind" GUNICORN_WORKERS=2 \
        "$BIN/gunicorn" -c deploy/gunicorn.conf.py municipia.wsgi > "$WORK/gunicorn-$host.log" 2>&1 &
    pids+=($!)
done
mkdir -p "$WORK/media-worker"
MEDIA_ROOT="$WORK/media-worker" "$BIN/celery" -A municipia worker --concurrency=1 --loglevel=INFO \
    > "$WORK/worker.log" 2>&1 &
pids+=($!)
A="http://$HOST_A" B="http://$HOST_B"
wait_for "$A/en/"
wait_for "$B/en/"

# 1. Sign in on host A; the session is honoured by host B.
curl -s -c "$WORK/jar" -o "$WORK/login.html" "$A/en/accounts/login/"
csrf=$(awk '$6 == "csrftoken" {print $7}' "$WORK/jar")
status=$(curl -s -b "$WORK/jar" -c "$WORK/jar" -o /dev/null -w '%{http_code}' -X POST "$A/en/accounts/login/" \
    -H "Referer: $A/en/accounts/login/" -d "csrfmiddlewaretoken=$csrf" -d username=scale-editor -d password=scale-pass-1234)
[ "$status" = 302 ] || fail "sign-in on host A answered $status"
status=$(curl -s -b "$WORK/jar" -o "$WORK/account.html" -w '%{http_code}' "$B/en/accounts/")
grep -q "scale-editor" "$WORK/account.html" || fail "host B does not know the session of host A ($status)"
check "signed in on host A, signed in on host B (sessions in PostgreSQL)"

# 2. The public plan page, cached in Redis by host B, shows an edit made through host A at once.
curl -s -o "$WORK/plan.html" "$B/en/plans/scale-out-plan/"
grep -q "Scale-out plan" "$WORK/plan.html" || fail "plan page on host B"
curl -s "$B/en/plans/scale-out-plan/" > /dev/null  # now from the shared cache
token=$(curl -s -X POST "$A/api/v1/auth/token/" -d username=scale-editor -d password=scale-pass-1234 \
    | "$PY" -c "import json,sys; print(json.load(sys.stdin)['token'])")
status=$(curl -s -o "$WORK/patch.json" -w '%{http_code}' -X PATCH "$A/api/v1/plans/scale-out-plan/" \
    -H "Authorization: Token $token" -H "Content-Type: application/json" -d '{"title_en": "Scale-out plan, revised"}')
[ "$status" = 200 ] || fail "edit through host A answered $status: $(cat "$WORK/patch.json")"
curl -s -o "$WORK/plan.html" "$B/en/plans/scale-out-plan/"
grep -q "Scale-out plan, revised" "$WORK/plan.html" || fail "host B still serves the old page"
check "an edit through host A shows at once on host B's cached page (one Redis cache)"

# 3. A report asked for on host A, rendered by the worker into the bucket, downloaded through host B.
csrf=$(awk '$6 == "csrftoken" {print $7}' "$WORK/jar")
job=$(curl -s -b "$WORK/jar" -o /dev/null -w '%{redirect_url}' -X POST "$A/en/reports/plans/scale-out-plan/status-jobs/" \
    -H "Referer: $A/en/" -d "csrfmiddlewaretoken=$csrf" -d format=xlsx)
[ -n "$job" ] || fail "no report job was started on host A"
download="$B${job#"$A"}download/"
for _ in $(seq 1 120); do
    [ "$(curl -s -b "$WORK/jar" -o "$WORK/report.xlsx" -w '%{http_code}' "$download")" = 200 ] && break
    sleep 0.5
done
"$PY" -c "
import openpyxl, sys
book = openpyxl.load_workbook(sys.argv[1])
assert 'Summary' in book.sheetnames, book.sheetnames" "$WORK/report.xlsx" || fail "no report from host B"
grep -q "render_report_job" "$WORK/worker.log" || fail "the report was not rendered by the worker"
keys=$(bucket_keys)
echo "$keys" | grep -q "^reports/.*\.xlsx$" || fail "the report is not in the bucket: $keys"
[ -z "$(find "$WORK"/media-* -type f)" ] || fail "files were written to a host's disk: $(find "$WORK"/media-* -type f)"
check "report asked for on host A, rendered by the worker into S3, downloaded through host B ($(echo "$keys" | head -1))"
check "no file on any host's disk: $(find "$WORK"/media-* -type f | wc -l) files in three MEDIA_ROOTs"
echo "$checks passed, 0 failed"
