# Shell helpers shared by the real-n8n scripts (tools/n8n-e2e.sh, n8n-e2e-agent.sh,
# n8n-e2e-queue.sh). Sourced, not run. The caller sets E2E_NAME (its name in log lines and
# verdicts) and E2E_WHAT (what a skipped install leaves untested), and keeps its own traps.
# Sets: T0, PIDS (processes started with start_bg), TIMES (phase_done), FAILED (fail's reason).

T0=$SECONDS
PIDS=()
declare -A TIMES=()
FAILED=

log() { printf '[%s %4ds] %s\n' "$E2E_NAME" $((SECONDS - T0)) "$*" >&2; }
fail() {
	FAILED=$*
	printf '\n==== %s FAILED: %s ====\n' "$E2E_NAME" "$*" >&2
	exit 1
}
# Only for the installs of n8n, Node 24 and chromium themselves (before the package is involved).
install_failed() {
	local logfile=${2:-}
	if [ -n "$logfile" ] && [ -f "$logfile" ]; then tail -n 25 "$logfile" >&2; fi
	if [ "${N8N_E2E_ALLOW_INSTALL_SKIP:-}" = 1 ]; then
		printf '\n**** SKIPPED: %s not run: %s (N8N_E2E_ALLOW_INSTALL_SKIP=1) ****\n' "$E2E_WHAT" "$1"
		exit 0
	fi
	fail "install: $1"
}
phase_done() { TIMES[$1]=$((SECONDS - $2)); }

# Runs a command in its own process group, so stopping it ends its children too (chromium, runners).
start_bg() {
	local out=$1
	shift
	setsid "$@" >"$out" 2>&1 </dev/null &
	PIDS+=("$!")
	LAST_PID=$!
}
# TERM to the process group, up to 15 s to go, then KILL.
stop_pid() {
	local pid=$1
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
	kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}
# An EXIT trap for scripts that need no more cleanup than stopping what they started.
stop_all() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && stop_pid "$pid"; done
	exit "$rc"
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
