#!/usr/bin/env bash
# The package inside a real n8n 2.x in QUEUE MODE, as users run it when one process is not enough:
#   bash tools/n8n-e2e-queue.sh
#
# Redis and PostgreSQL from Debian, started by hand on private loopback ports (a throwaway cluster
# in a temp dir), then n8n 2.41.1 on Node 24 in queue mode: one main and two workers, each with its
# own N8N_USER_FOLDER and the packed package installed in each as a community package, one
# N8N_ENCRYPTION_KEY. n8n and the tarball are installed by tools/lib/n8n-install.sh into the same
# places as tools/n8n-e2e.sh (e2e/n8n/node_modules, e2e/n8n/.work): after that script, nothing is
# installed twice. Then, against the S3 server:
#   1. webhook uploads (64 KiB-8 MiB) through the workers: byte-identical on S3, jobs on both workers
#      (read from the workers' "Worker started execution N" log lines);
#   2. a download through a worker, byte-compared;
#   3. Assume Role (only when S3_TEST_ROLE_ARN names a role, i.e. Ceph RGW): the workers sign in with
#      their machine identity (N8N_S3_STORAGE_ALLOW_MACHINE_IDENTITY=true and AWS_* keys on the
#      workers only), AssumeRole calls counted by a proxy: one per worker;
#   4. the polling trigger across a restart of main: every object emitted exactly once, objects
#      there before activation never; on Ceph RGW (S3_TEST_SERVER=rgw) the S3 Storage Event Trigger too:
#      registered on RGW by main's activation, each object under events/ emitted once, before and after
#      the restart (the registration survives it, nothing is registered twice);
#   5. n8n's default binary-data mode in queue mode (which one it is, from the binary ids and the
#      binary_data table) and the peak RSS of the workers and main for one large webhook upload
#      (N8N_QUEUE_BIG_MIB, default 200);
#   6. Object > Upload from URL of 1 GiB (N8N_QUEUE_LARGE_MIB) served by a local HTTP server without a
#      Content-Length, then Object > Transfer of that object to a second credential (another user or server: the
#      streamed path), each on a worker: size and sha256 read back with the raw SDK, and the worker that
#      ran it may peak at most 300 MiB (N8N_QUEUE_LARGE_RSS_LIMIT_MIB) over its idle RSS. Objects removed after.
# Everything has a deadline; the run after the install is stopped past N8N_QUEUE_BUDGET seconds (default 840).
# Logs of every process: e2e/n8n/.work/queue/logs/ (their tails are printed on failure).
#
# S3 server: S3_TEST_ENDPOINT, S3_TEST_REGION, S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY
# (S3_TEST_FORCE_PATH_STYLE, default true), S3_TEST_ROLE_ARN; unset: the repo's embedded s3rver.
# Transfer's destination: S3_TEST_OTHER_ACCESS_KEY_ID / S3_TEST_OTHER_SECRET_ACCESS_KEY, a second user on
# the same server (with the embedded s3rver: a second s3rver); without them the Transfer is reported as skipped.
# Other env: N8N_E2E_ALLOW_INSTALL_SKIP=1 (a failed install of n8n/Node 24/Redis/PostgreSQL prints
# SKIPPED and exits 0), N8N_E2E_WORK, N8N_E2E_TARBALL, N8N_QUEUE_UPLOADS (default 20),
# N8N_QUEUE_BIG_MIB (default 200; 0 skips), N8N_QUEUE_LARGE_MIB (default 1024; 0 skips),
# N8N_QUEUE_LARGE_RSS_LIMIT_MIB (default 300), N8N_QUEUE_REDIS_PORT (16379), N8N_QUEUE_PG_PORT (15432)
# (taken only when free, else any free port), N8N_QUEUE_BUDGET.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E=$ROOT/e2e/n8n
QE=$E2E/queue
WORK=${N8N_E2E_WORK:-$E2E/.work}
Q=$WORK/queue
LOGS=$Q/logs
PKG_NAME=n8n-nodes-s3-storage
ORIG_PATH=$PATH
BUDGET=${N8N_QUEUE_BUDGET:-840}
RESULTS=()

E2E_NAME=n8n-e2e-queue E2E_WHAT="n8n queue-mode e2e"
# shellcheck source=lib/e2e-common.sh
. "$ROOT/tools/lib/e2e-common.sh"

# ---------------------------------------------------------------- processes: started here, stopped here
print_log_tails() {
	local f
	printf '\n---- logs (newest first, last 25 lines each, n8n debug lines left out); all in %s\n' "$LOGS" >&2
	for f in $(ls -t "$LOGS"/*.log 2>/dev/null); do
		printf '\n---- %s\n' "${f#"$WORK/"}" >&2
		grep -v '"level":"debug"' "$f" | cut -c1-400 | tail -n 25 >&2 || true
	done
}
PG_DIR=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM ERR
	# Stopping must go on whatever fails here (a process already gone, say).
	set +e
	if [ -n "${WATCHDOG:-}" ]; then pkill -P "$WATCHDOG" 2>/dev/null; kill "$WATCHDOG" 2>/dev/null; fi
	if [ "$rc" != 0 ]; then
		[ -z "$FAILED" ] && printf '\n==== n8n-e2e-queue FAILED (exit %s, line %s) ====\n' "$rc" "${ERR_LINE:-?}" >&2
		print_log_tails
	fi
	# n8n first (its workers drain their jobs), then PostgreSQL (fast shutdown) and Redis.
	local pid
	for pid in "${N8N_PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM -- "-$pid" 2>/dev/null; done
	for pid in "${N8N_PIDS[@]:-}"; do [ -n "$pid" ] && stop_pid "$pid"; done
	[ -n "${MAIN_PID:-}" ] && stop_pid "$MAIN_PID"
	# The 1 GiB objects of a failed large check (the S3 server may be shared: leave nothing that size behind).
	if [ -n "${LARGE_CLEANUP:-}" ]; then
		timeout --kill-after=10 120 node "$QE/queue.mjs" delete-large "$LARGE_KEY" "$LARGE_DEST_KEY" >&2
	fi
	if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
		timeout 30 $AS_PG "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 20 stop >>"$LOGS/postgres-stop.log" 2>&1 || true
	fi
	for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && stop_pid "$pid"; done
	[ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
	exit "$rc"
}
N8N_PIDS=()
trap 'ERR_LINE=$LINENO' ERR
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_or_free() { if port_busy "$1"; then free_port; else echo "$1"; fi; }
# wait_for <seconds> <what> <command...>: retries the command every half second, fails past the deadline.
wait_for() {
	local seconds=$1 what=$2
	shift 2
	local end=$((SECONDS + seconds))
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -ge "$end" ] && fail "$what: not within $seconds s"
		sleep 0.5
	done
}
# The RESULT line of a queue.mjs command, kept for the summary.
run_check() {
	local name=$1 seconds=$2
	shift 2
	local out=$LOGS/check-$name.log rc=0
	timeout --kill-after=10 "$seconds" env PATH="$PATH" node "$QE/queue.mjs" "$@" >"$out" 2>&1 || rc=$?
	grep -v '^RESULT ' "$out" >&2 || true
	RESULTS+=("$name $(grep -m 1 '^RESULT ' "$out" | cut -c8- || echo '{}')")
	[ "$rc" = 124 ] && fail "$name: no answer within $seconds s"
	[ "$rc" = 0 ] || fail "$name (log: $out)"
}
result_of() { printf '%s\n' "${RESULTS[@]}" | grep -m 1 "^$1 " | cut -d' ' -f2-; }

mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

# ---------------------------------------------------------------- 1. n8n, Node 24, the package; Redis, PostgreSQL
t=$SECONDS
# shellcheck source=lib/n8n-install.sh
. "$ROOT/tools/lib/n8n-install.sh"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if ! command -v redis-server >/dev/null || [ ! -x "$PG_BIN/initdb" ]; then
	log "installing Debian's redis-server and postgresql"
	{ timeout 300 apt-get update && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y redis-server postgresql; } >"$LOGS/apt.log" 2>&1 ||
		install_failed "apt-get install redis-server postgresql failed" "$LOGS/apt.log"
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
# Debian's packages start their own services on the default ports; this run uses neither.
n8n_install
[ -f "$ROOT/node_modules/.package-lock.json" ] || fail "the repo's dependencies are not installed: run 'npm ci' in $ROOT first"
n8n_pack
log "n8n $N8N_VERSION, node $(node -v), $(redis-server --version | cut -d' ' -f1-3), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $(basename "$TARBALL")"
phase_done install "$t"

# The watchdog, from here on (a cold install of n8n has its own timeouts and takes 5-10 minutes):
# past the budget, stop whatever runs in the foreground (each step has its own timeout too; this
# only catches what slips through) and then the script, which cleans up.
( sleep "$BUDGET"; echo "n8n-e2e-queue: over the budget of $BUDGET s after the install, stopping" >&2; pkill -TERM -P $$; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!

t=$SECONDS
HOMES=(main worker-1 worker-2)
for name in "${HOMES[@]}"; do rm -rf "${Q:?}/$name"; done
# n8n's community install into main's user folder, then the same installed tree copied to each
# worker's (what an image or volume per worker holds; three parallel npm installs cost minutes here).
n8n_install_package "$Q/main" "$LOGS/install-main.log"
for name in worker-1 worker-2; do mkdir -p "$Q/$name/.n8n" && cp -a "$Q/main/.n8n/nodes" "$Q/$name/.n8n/"; done
log "installed as a community package in main's user folder ($(du -sm "$Q/main/.n8n/nodes" | cut -f1) MB), copied to worker-1's and worker-2's"
phase_done package "$t"

t=$SECONDS
REDIS_PORT=$(port_or_free "${N8N_QUEUE_REDIS_PORT:-16379}")
mkdir -p "$Q/redis"
start_bg "$LOGS/redis.log" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$Q/redis"
wait_for 15 "redis-server on 127.0.0.1:$REDIS_PORT" sh -c "redis-cli -p $REDIS_PORT ping | grep -q PONG"

PG_PORT=$(port_or_free "${N8N_QUEUE_PG_PORT:-15432}")
PG_DIR=$(mktemp -d /tmp/n8n-queue-pg.XXXXXX)
AS_PG=
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$PG_DIR"
	AS_PG="runuser -u postgres --"
fi
timeout 120 $AS_PG "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$LOGS/initdb.log" 2>&1 ||
	fail "initdb of a throwaway PostgreSQL cluster in $PG_DIR"
# A throwaway cluster: durability off, for speed.
start_bg "$LOGS/postgres.log" $AS_PG "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" -k "$PG_DIR" \
	-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60
wait_for 30 "PostgreSQL on 127.0.0.1:$PG_PORT" "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
psql_q() { timeout 30 "$PG_BIN/psql" -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
psql_q -d postgres -c 'CREATE DATABASE n8n' || fail "CREATE DATABASE n8n"
log "Redis on 127.0.0.1:$REDIS_PORT, PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"

# ---------------------------------------------------------------- the S3 server
if [ -n "${S3_TEST_ENDPOINT:-}" ]; then
	export E2E_S3_ENDPOINT=$S3_TEST_ENDPOINT E2E_S3_REGION=${S3_TEST_REGION:-us-east-1}
	export E2E_S3_ACCESS_KEY_ID=${S3_TEST_ACCESS_KEY_ID:?S3_TEST_ACCESS_KEY_ID is required with S3_TEST_ENDPOINT}
	export E2E_S3_SECRET_ACCESS_KEY=${S3_TEST_SECRET_ACCESS_KEY:?S3_TEST_SECRET_ACCESS_KEY is required with S3_TEST_ENDPOINT}
	export E2E_S3_FORCE_PATH_STYLE=${S3_TEST_FORCE_PATH_STYLE:-true}
	S3_LABEL="$E2E_S3_ENDPOINT (S3_TEST_ENDPOINT)"
else
	rm -rf "$Q/s3rver" && mkdir -p "$Q/s3rver"
	# s3rver's continuation tokens need DES (legacy provider); it runs on the machine's Node like the tests.
	start_bg "$LOGS/s3rver.log" env PATH="$ORIG_PATH" node --openssl-legacy-provider "$ROOT/test/support/s3rver-child.js" "$Q/s3rver"
	wait_for 30 "s3rver" grep -q '^{' "$LOGS/s3rver.log"
	export E2E_S3_ENDPOINT="http://127.0.0.1:$(node -p 'JSON.parse(process.argv[1]).port' "$(grep -m 1 '^{' "$LOGS/s3rver.log")")"
	export E2E_S3_REGION=us-east-1 E2E_S3_ACCESS_KEY_ID=S3RVER E2E_S3_SECRET_ACCESS_KEY=S3RVER E2E_S3_FORCE_PATH_STYLE=true
	S3_LABEL="s3rver at $E2E_S3_ENDPOINT"
	# s3rver knows one access key only: Transfer's destination is a second s3rver (another server, so the
	# node streams rather than copies server-side), as in a migration from one provider to another.
	if [ "${N8N_QUEUE_LARGE_MIB:-1024}" -gt 0 ]; then
		rm -rf "$Q/s3rver-dest" && mkdir -p "$Q/s3rver-dest"
		start_bg "$LOGS/s3rver-dest.log" env PATH="$ORIG_PATH" node --openssl-legacy-provider "$ROOT/test/support/s3rver-child.js" "$Q/s3rver-dest"
		wait_for 30 "the destination s3rver" grep -q '^{' "$LOGS/s3rver-dest.log"
		export E2E_DEST_ENDPOINT="http://127.0.0.1:$(node -p 'JSON.parse(process.argv[1]).port' "$(grep -m 1 '^{' "$LOGS/s3rver-dest.log")")"
		S3_TEST_OTHER_ACCESS_KEY_ID=S3RVER S3_TEST_OTHER_SECRET_ACCESS_KEY=S3RVER
		S3_LABEL="$S3_LABEL (Transfer's destination: s3rver at $E2E_DEST_ENDPOINT)"
	fi
fi
export E2E_BUCKET=n8n-e2e-queue-$(date +%s)-$$ E2E_TEXT="queue mode e2e" E2E_REPO=$ROOT
(cd "$E2E" && echo "{\"buckets\":[\"$E2E_BUCKET\"]}" >"$Q/seed.json" && timeout 60 node lib/seed.mjs "$ROOT" "$Q/seed.json") >&2 || fail "creating bucket $E2E_BUCKET"
log "S3 server: $S3_LABEL, bucket $E2E_BUCKET"
# Bucket notifications that push to a webhook: Ceph RGW has them, s3rver does not.
EVENTS=
[ "${S3_TEST_SERVER:-}" = rgw ] && EVENTS=1
# Transfer's destination: another user on the same server (or the second s3rver), with a bucket of its own.
LARGE_MIB=${N8N_QUEUE_LARGE_MIB:-1024}
LARGE_KEY=large/from-url-$LARGE_MIB-MiB.bin
LARGE_DEST_KEY=large/transferred-$LARGE_MIB-MiB.bin
export E2E_DEST_BUCKET=
if [ "$LARGE_MIB" -gt 0 ] && [ -n "${S3_TEST_OTHER_ACCESS_KEY_ID:-}" ]; then
	export E2E_DEST_ACCESS_KEY_ID=$S3_TEST_OTHER_ACCESS_KEY_ID
	export E2E_DEST_SECRET_ACCESS_KEY=${S3_TEST_OTHER_SECRET_ACCESS_KEY:?S3_TEST_OTHER_SECRET_ACCESS_KEY is required with S3_TEST_OTHER_ACCESS_KEY_ID}
	export E2E_DEST_BUCKET=$E2E_BUCKET-dest
	timeout 90 node "$QE/queue.mjs" create-dest-bucket >&2 || fail "creating bucket $E2E_DEST_BUCKET as $E2E_DEST_ACCESS_KEY_ID"
fi

ROLE=
if [ -n "${S3_TEST_ROLE_ARN:-}" ] && [ -n "${S3_TEST_ENDPOINT:-}" ]; then
	ROLE=$S3_TEST_ROLE_ARN
	start_bg "$LOGS/sts-proxy.log" node "$QE/sts-proxy.mjs" "$E2E_S3_ENDPOINT"
	wait_for 15 "STS counting proxy" grep -q '^{' "$LOGS/sts-proxy.log"
	STS_PORT=$(node -p 'JSON.parse(process.argv[1]).port' "$(grep -m 1 '^{' "$LOGS/sts-proxy.log")")
	export E2E_ROLE_ARN=$ROLE E2E_STS_ENDPOINT=http://127.0.0.1:$STS_PORT E2E_STS_COUNT_URL=http://127.0.0.1:$STS_PORT/__count
fi
phase_done services "$t"

# ---------------------------------------------------------------- n8n in queue mode: the environment every process shares
export N8N_ENCRYPTION_KEY=n8n-e2e-queue-not-a-secret-key
export EXECUTIONS_MODE=queue
export QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT=$REDIS_PORT QUEUE_BULL_PREFIX=bull-e2e-$$
export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT=$PG_PORT DB_POSTGRESDB_DATABASE=n8n
export DB_POSTGRESDB_USER=postgres DB_POSTGRESDB_PASSWORD=
export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false
export N8N_DISABLED_MODULES=mcp-registry,instance-ai,promotions
export N8N_PERSONALIZATION_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
export N8N_COMMUNITY_PACKAGES_ENABLED=true N8N_UNVERIFIED_PACKAGES_ENABLED=true N8N_VERIFIED_PACKAGES_ENABLED=false
export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true N8N_SECURE_COOKIE=false
export N8N_LOG_FORMAT=json N8N_LOG_OUTPUT=console N8N_LOG_LEVEL=info
export N8N_GRACEFUL_SHUTDOWN_TIMEOUT=15
# Webhook uploads larger than n8n's default multipart limit (200 MiB) need this on main.
export N8N_FORMDATA_FILE_SIZE_MAX=$(( ${N8N_QUEUE_BIG_MIB:-200} + 56 ))
# n8n's binary-data mode is left at its queue-mode default (what this run reports).
unset N8N_DEFAULT_BINARY_DATA_MODE AWS_CA_BUNDLE
N8N_PORT=$(free_port)
BASE_URL=http://127.0.0.1:$N8N_PORT
export BASE_URL
MAIN_ENV=(N8N_USER_FOLDER="$Q/main" N8N_PORT="$N8N_PORT" N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PROTOCOL=http
	WEBHOOK_URL="$BASE_URL/" N8N_EDITOR_BASE_URL="$BASE_URL/" N8N_LOG_LEVEL=debug)
# Workers: the machine-identity switch, and the machine identity itself (the Assume Role credential's source).
WORKER_ENV=(N8N_S3_STORAGE_ALLOW_MACHINE_IDENTITY=true)
[ -n "$ROLE" ] && WORKER_ENV+=(AWS_ACCESS_KEY_ID="$E2E_S3_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$E2E_S3_SECRET_ACCESS_KEY")
n8n_cli() { # n8n_cli <log> <args...>: a one-off n8n command as the main process's user
	local out=$1
	shift
	timeout --kill-after=10 180 env "${MAIN_ENV[@]}" N8N_LOG_LEVEL=info N8N_RUNNERS_BROKER_PORT="$(free_port)" n8n "$@" >>"$out" 2>&1
}

# ---------------------------------------------------------------- import, publish
t=$SECONDS
PREP=$Q/import
rm -rf "$PREP"
node "$E2E/lib/prepare.mjs" "$PREP" "$QE/workflows/queue-upload.json" "$QE/workflows/queue-download.json" "$QE/workflows/queue-trigger.json" \
	"$QE/workflows/queue-upload-url.json" ${EVENTS:+"$QE/workflows/queue-event-trigger.json"} >&2 || fail "preparing credentials and workflows"
[ -n "$E2E_DEST_BUCKET" ] && { node "$QE/queue.mjs" prepare-transfer "$PREP" "$QE/workflows/queue-transfer.json" >&2 || fail "preparing the Transfer's destination credential"; }
[ -n "$ROLE" ] && { node "$QE/queue.mjs" prepare-role "$PREP" "$QE/workflows/queue-role.json" >&2 || fail "preparing the Assume Role credential"; }
n8n_cli "$LOGS/import.log" import:credentials --input="$PREP/credentials.json" || fail "n8n import:credentials (runs the PostgreSQL migrations)"
n8n_cli "$LOGS/import.log" import:workflow --separate --input="$PREP/workflows" || fail "n8n import:workflow"
WF_IDS=$(cd "$PREP/workflows" && ls | sed 's/\.json$//')
JOBS=()
for id in $WF_IDS; do n8n_cli "$LOGS/publish-$id.log" publish:workflow --id="$id" & JOBS+=("$!"); done
for job in "${JOBS[@]}"; do wait "$job" || fail "n8n publish:workflow (logs: $LOGS/publish-*.log)"; done
# Objects there before the trigger is activated: recorded by its first poll, never emitted.
run_check trigger-before 60 put before 2
log "imported and published $(echo "$WF_IDS" | wc -w) workflows into PostgreSQL"
phase_done import "$t"

# ---------------------------------------------------------------- start main and two workers
t=$SECONDS
start_main() { # start_main <log>
	start_bg "$1" env "${MAIN_ENV[@]}" N8N_RUNNERS_BROKER_PORT="$(free_port)" n8n start
	MAIN_PID=$LAST_PID
	N8N_PIDS+=("$MAIN_PID")
	local end=$((SECONDS + 90))
	until curl -sf -m 5 -o /dev/null "$BASE_URL/healthz/readiness"; do
		kill -0 "$MAIN_PID" 2>/dev/null || fail "n8n main exited (log: $1)"
		[ "$SECONDS" -ge "$end" ] && fail "n8n main not ready within 90 s (log: $1)"
		sleep 0.5
	done
}
declare -A WORKER_PID=() WORKER_HEALTH=()
for w in worker-1 worker-2; do
	WORKER_HEALTH[$w]=$(free_port)
	start_bg "$LOGS/$w.log" env N8N_USER_FOLDER="$Q/$w" "${WORKER_ENV[@]}" N8N_RUNNERS_BROKER_PORT="$(free_port)" \
		QUEUE_HEALTH_CHECK_ACTIVE=true QUEUE_HEALTH_CHECK_PORT="${WORKER_HEALTH[$w]}" N8N_WORKER_SERVER_ADDRESS=127.0.0.1 \
		n8n worker --concurrency=4
	WORKER_PID[$w]=$LAST_PID
	N8N_PIDS+=("$LAST_PID")
done
start_main "$LOGS/main-1.log"
for w in worker-1 worker-2; do
	end=$((SECONDS + 90))
	until curl -sf -m 5 -o /dev/null "http://127.0.0.1:${WORKER_HEALTH[$w]}/healthz/readiness"; do
		kill -0 "${WORKER_PID[$w]}" 2>/dev/null || fail "n8n $w exited (log: $LOGS/$w.log)"
		[ "$SECONDS" -ge "$end" ] && fail "n8n $w not ready within 90 s (log: $LOGS/$w.log)"
		sleep 0.5
	done
done
export E2E_WORKER_LOGS=$LOGS/worker-1.log:$LOGS/worker-2.log
log "queue mode up: main $BASE_URL (pid $MAIN_PID), worker-1 (pid ${WORKER_PID[worker-1]}), worker-2 (pid ${WORKER_PID[worker-2]}) in $((SECONDS - t)) s"
phase_done start "$t"

# ---------------------------------------------------------------- checks
t=$SECONDS
UPLOADS=${N8N_QUEUE_UPLOADS:-20}
run_check uploads 300 uploads "$UPLOADS" "$Q/files"
last_file=$(ls "$Q/files"/upload-*.bin | tail -n 1)
run_check download 120 download "queue/$(basename "$last_file")" "$last_file"
if [ -n "$ROLE" ]; then
	run_check assume-role 180 role 6
else
	RESULTS+=("assume-role {\"skipped\":\"no S3_TEST_ROLE_ARN (the embedded s3rver has no STS)\"}")
	log "Assume Role: SKIPPED (no S3_TEST_ROLE_ARN: the embedded s3rver has no STS)"
fi
phase_done webhooks "$t"

# The trigger polls once a minute (n8n refuses shorter poll times). Its first poll records what is there.
t=$SECONDS
wait_for 90 "the trigger's first poll on main" sh -c "[ \$(grep -c 'Poll trigger initiated for workflow' '$LOGS/main-1.log') -ge 1 ]"
sleep 5
run_check trigger-put-a 60 put a 3
if [ -n "$EVENTS" ]; then
	E2E_TRIGGER_PREFIX=events/ run_check events-put-a 60 put ea 2
	E2E_TRIGGER_PREFIX=events/ run_check events-seen-a 90 wait-seen 80 ea
fi
phase_done trigger "$t"

# While the trigger waits for its next poll: 1 GiB through the operations that skip n8n's binary store (first,
# while the workers have not yet held a large binary), then n8n's binary-data mode and memory for a large file.
# Upload from URL, then Transfer of that object to the other credential, each on whichever worker takes the job;
# queue.mjs resets every process's VmHWM before and fails when the worker that ran it grew past the limit.
t=$SECONDS
if [ "$LARGE_MIB" -gt 0 ]; then
	export E2E_RSS_LIMIT_MIB=${N8N_QUEUE_LARGE_RSS_LIMIT_MIB:-300}
	MEASURED=("worker-1=${WORKER_PID[worker-1]}" "worker-2=${WORKER_PID[worker-2]}" "main=$MAIN_PID")
	LARGE_CLEANUP=1
	run_check upload-from-url 240 upload-url "$LARGE_MIB" "$LARGE_KEY" "${MEASURED[@]}"
	if [ -n "$E2E_DEST_BUCKET" ]; then
		LARGE_SHA=$(result_of upload-from-url | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).sha256')
		run_check transfer 240 transfer "$LARGE_KEY" "$LARGE_DEST_KEY" "$LARGE_SHA" "${MEASURED[@]}"
	else
		RESULTS+=("transfer {\"skipped\":\"no S3_TEST_OTHER_ACCESS_KEY_ID (a second user on $E2E_S3_ENDPOINT)\"}")
		log "Transfer: SKIPPED (no S3_TEST_OTHER_ACCESS_KEY_ID: a second user is needed for the streamed path)"
	fi
	timeout --kill-after=10 120 node "$QE/queue.mjs" delete-large "$LARGE_KEY" "$LARGE_DEST_KEY" >&2 || fail "removing the large objects"
	LARGE_CLEANUP=
else
	RESULTS+=("upload-from-url {\"skipped\":\"N8N_QUEUE_LARGE_MIB=0\"}" "transfer {\"skipped\":\"N8N_QUEUE_LARGE_MIB=0\"}")
fi
phase_done large "$t"

t=$SECONDS
BIG_MIB=${N8N_QUEUE_BIG_MIB:-200}
BINARY_MODE=$(result_of uploads | node -p 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); (r.binaryIdPrefixes || []).join(",") || "unknown"')
BINARY_ROWS=$(psql_q -d n8n -c 'SELECT count(*) || $$ rows, $$ || pg_size_pretty(coalesce(sum(length(data)), 0)) FROM binary_data' 2>/dev/null || echo "no binary_data table")
log "binary-data mode in queue mode (from the binaries' ids): $BINARY_MODE; PostgreSQL binary_data table: $BINARY_ROWS"
if [ "$BIG_MIB" -gt 0 ]; then
	head -c $((BIG_MIB * 1024 * 1024)) /dev/urandom >"$Q/files/big-$BIG_MIB-MiB.bin"
	run_check big-upload 420 big "$Q/files/big-$BIG_MIB-MiB.bin" "worker-1=${WORKER_PID[worker-1]}" "worker-2=${WORKER_PID[worker-2]}" "main=$MAIN_PID"
	rm -f "$Q/files/big-$BIG_MIB-MiB.bin"
fi
phase_done big "$t"

# ---------------------------------------------------------------- the trigger across a restart of main
t2=$SECONDS
run_check trigger-seen-a 150 wait-seen 140 a
log "restarting main (the trigger's state must survive it)"
stop_pid "$MAIN_PID"
run_check trigger-put-b 60 put b 3
start_main "$LOGS/main-2.log"
run_check trigger-seen-b 150 wait-seen 140 b
run_check trigger-put-c 60 put c 2
# The next poll must emit c and nothing again.
run_check trigger-seen-c 150 wait-seen 140 c
run_check trigger-once 60 check-seen a b c -- before
if [ -n "$EVENTS" ]; then
	E2E_TRIGGER_PREFIX=events/ run_check events-put-b 60 put eb 2
	E2E_TRIGGER_PREFIX=events/ run_check events-seen-b 90 wait-seen 80 eb
	E2E_TRIGGER_PREFIX=events/ run_check events-once 60 check-seen ea eb
else
	RESULTS+=("events {\"skipped\":\"the S3 server is not Ceph RGW (S3_TEST_SERVER=rgw): no bucket notifications\"}")
	log "Event trigger: SKIPPED (bucket notifications need Ceph RGW: S3_TEST_SERVER=rgw)"
fi
TIMES[trigger]=$((TIMES[trigger] + SECONDS - t2))

# ---------------------------------------------------------------- n8n's own lines about the package, then stop
node "$E2E/lib/log-check.mjs" "$LOGS"/main-*.log "$LOGS"/worker-*.log "$LOGS"/import.log >&2 || LOG_RC=$?
[ "${LOG_RC:-0}" = 0 ] || fail "n8n logged warnings/errors about $PKG_NAME"

total=$((SECONDS - T0))
printf '\n==== n8n-e2e-queue: n8n %s in queue mode (main + 2 workers, Redis %s, PostgreSQL %s), %s@%s, S3: %s ====\n' \
	"$N8N_VERSION" "$REDIS_PORT" "$PG_PORT" "$PKG_NAME" "$PKG_VERSION" "$S3_LABEL"
printf 'install %ss | package x3 %ss | services %ss | import %ss | start %ss | webhooks %ss | 1 GiB from URL + transfer %ss | big upload %ss | trigger %ss | total %ss\n' \
	"${TIMES[install]}" "${TIMES[package]}" "${TIMES[services]}" "${TIMES[import]}" "${TIMES[start]}" "${TIMES[webhooks]}" "${TIMES[large]}" "${TIMES[big]}" "${TIMES[trigger]}" "$total"
printf 'binary-data mode (queue-mode default): %s; binary_data table after the uploads: %s\n' "$BINARY_MODE" "$BINARY_ROWS"
# The large checks' figures in one line: time, the worker that ran each, its peak over its idle RSS.
printf '%s\n' "${RESULTS[@]}" | node -e '
	const lines = require("fs").readFileSync(0, "utf8").split("\n");
	const get = (name) => JSON.parse(lines.find((l) => l.startsWith(name + " "))?.slice(name.length + 1) || "{}");
	const describe = (label, r) => {
		if (r.skipped) return `${label}: skipped (${r.skipped})`;
		const m = r.rss?.[r.worker];
		if (!m) return `${label}: no figures`;
		return `${label}${r.method ? ` (${r.method})` : ""} ${Math.round((r.uploadFromUrl ?? r.transfer) / 1048576)} MiB in ${Math.round(r.seconds)} s on ${r.worker}: peak ${m.peakMiB} MiB, idle ${m.idleMiB}, +${m.addedMiB} MiB (limit +${process.argv[1]})`;
	};
	console.log(`${describe("Upload from URL", get("upload-from-url"))}; ${describe("Transfer", get("transfer"))}`);' "${E2E_RSS_LIMIT_MIB:-300}"
printf '%s\n' "${RESULTS[@]}" | grep -v '^trigger-put\|^trigger-before\|^trigger-seen\|^events-put\|^events-seen' | sed 's/^/  /'
printf '%s\n' "${RESULTS[@]}" >"$Q/results.txt"
echo "n8n-e2e-queue: PASSED"
