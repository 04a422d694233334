#!/usr/bin/env bash
# The package as an AI agent's tools, in a real n8n 2.x, in one command:
#   bash tools/n8n-e2e-agent.sh
#
# examples/ai-agent-tools.json runs headless (`n8n execute`): n8n's AI Agent node with n8n's OpenAI
# chat model node, and five S3 Storage nodes attached as tools with $fromAI() parameters (list,
# read, upload a text, presigned download link, delete). The chat model's Base URL points at
# tools/lib/scripted-model.js on 127.0.0.1, the only stand-in in the chain: it answers with
# predetermined tool calls, one step per request, and checks that each tool result it got back
# holds what it expects (the listing, the text, a cut long text and its next range, an error that
# says what to do, the link). tools/lib/agent-workflow.mjs seeds a fresh bucket, and afterwards
# checks the S3 side (summary written, object deleted, the others kept, the link downloads).
#
# n8n and the tarball come from tools/lib/n8n-install.sh (the same e2e/n8n/node_modules and
# e2e/n8n/.work as tools/n8n-e2e.sh, which calls this script after its headless runs with
# N8N_E2E_AGENT_HOME set to its own n8n folder, where the package is already installed).
# S3 server: S3_TEST_ENDPOINT, S3_TEST_REGION, S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY
# (S3_TEST_FORCE_PATH_STYLE, default true), e.g. `set -a; . /tmp/n8n-s3-rgw/env; set +a` for Ceph
# RGW; or E2E_S3_* as tools/n8n-e2e.sh exports them; unset: the repo's embedded s3rver.
# Other env: N8N_E2E_ALLOW_INSTALL_SKIP=1, N8N_E2E_WORK, N8N_E2E_TARBALL, N8N_E2E_AGENT_HOME.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E=$ROOT/e2e/n8n
WORK=${N8N_E2E_WORK:-$E2E/.work}
A=$WORK/agent
LOGS=$A/logs
PKG_NAME=n8n-nodes-s3-storage
ORIG_PATH=$PATH
E2E_NAME=n8n-e2e-agent E2E_WHAT="n8n agent e2e"
# shellcheck source=lib/e2e-common.sh
. "$ROOT/tools/lib/e2e-common.sh"
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
wait_first_line() { # <file> <pid>: the first line starting with "{" of a starting server
	for _ in $(seq 1 100); do
		grep -q '^{' "$1" 2>/dev/null && { grep -m 1 '^{' "$1"; return 0; }
		kill -0 "$2" 2>/dev/null || { cat "$1" >&2; return 1; }
		sleep 0.1
	done
	return 1
}

rm -rf "$A" && mkdir -p "$LOGS"
# shellcheck source=lib/n8n-install.sh
. "$ROOT/tools/lib/n8n-install.sh"
n8n_install
log "n8n $N8N_VERSION, node $(node -v)"

if [ -n "${N8N_E2E_AGENT_HOME:-}" ] && [ -d "$N8N_E2E_AGENT_HOME/.n8n/nodes/node_modules/$PKG_NAME" ]; then
	export N8N_USER_FOLDER=$N8N_E2E_AGENT_HOME
	log "using the n8n folder $N8N_USER_FOLDER (package installed there)"
else
	n8n_pack
	export N8N_USER_FOLDER=$A/home
	n8n_install_package "$N8N_USER_FOLDER" "$LOGS/community-install.log"
	log "installed $(basename "$TARBALL") as a community package in $N8N_USER_FOLDER"
fi

export N8N_ENCRYPTION_KEY=${N8N_ENCRYPTION_KEY:-n8n-e2e-not-a-secret-key}
export DB_TYPE=sqlite N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false
export N8N_DISABLED_MODULES=mcp-registry,instance-ai,promotions N8N_PERSONALIZATION_ENABLED=false
export N8N_COMMUNITY_PACKAGES_ENABLED=true N8N_UNVERIFIED_PACKAGES_ENABLED=true N8N_VERIFIED_PACKAGES_ENABLED=false
export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true N8N_LOG_LEVEL=debug N8N_LOG_FORMAT=json N8N_LOG_OUTPUT=console
export N8N_RUNNERS_BROKER_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
unset AWS_CA_BUNDLE

# ---------------------------------------------------------------- the S3 server
if [ -n "${E2E_S3_ENDPOINT:-}" ]; then
	log "S3 server: $E2E_S3_ENDPOINT (E2E_S3_ENDPOINT)"
elif [ -n "${S3_TEST_ENDPOINT:-}" ]; then
	export E2E_S3_ENDPOINT=$S3_TEST_ENDPOINT E2E_S3_REGION=${S3_TEST_REGION:-us-east-1}
	export E2E_S3_ACCESS_KEY_ID=${S3_TEST_ACCESS_KEY_ID:?S3_TEST_ACCESS_KEY_ID is required with S3_TEST_ENDPOINT}
	export E2E_S3_SECRET_ACCESS_KEY=${S3_TEST_SECRET_ACCESS_KEY:?S3_TEST_SECRET_ACCESS_KEY is required with S3_TEST_ENDPOINT}
	export E2E_S3_FORCE_PATH_STYLE=${S3_TEST_FORCE_PATH_STYLE:-true}
	log "S3 server: $E2E_S3_ENDPOINT (S3_TEST_ENDPOINT)"
else
	mkdir -p "$A/s3rver"
	start_bg "$LOGS/s3rver.log" env PATH="$ORIG_PATH" node --openssl-legacy-provider "$ROOT/test/support/s3rver-child.js" "$A/s3rver"
	first=$(wait_first_line "$LOGS/s3rver.log" "$LAST_PID") || fail "s3rver did not start"
	s3field() { node -p 'const j = JSON.parse(process.argv[1]); String(j[process.argv[2]] ?? process.argv[3])' "$first" "$1" "$2"; }
	E2E_S3_ENDPOINT=$(node -p 'const j = JSON.parse(process.argv[1]); j.endpoint || `http://127.0.0.1:${j.port}`' "$first")
	export E2E_S3_ENDPOINT E2E_S3_REGION=$(s3field region us-east-1) E2E_S3_ACCESS_KEY_ID=$(s3field accessKeyId S3RVER)
	export E2E_S3_SECRET_ACCESS_KEY=$(s3field secretAccessKey S3RVER) E2E_S3_FORCE_PATH_STYLE=true
	log "S3 server: s3rver at $E2E_S3_ENDPOINT"
fi

# ---------------------------------------------------------------- the scripted model, the workflow, the run
start_bg "$LOGS/model.log" node "$ROOT/tools/lib/scripted-model.js" "$A/script.json" "$A/model-record.json"
MODEL_PORT=$(node -p 'JSON.parse(process.argv[1]).port' "$(wait_first_line "$LOGS/model.log" "$LAST_PID")") || fail "the scripted model did not start"
log "scripted model at http://127.0.0.1:$MODEL_PORT/v1"
# The repo's own scripts run on the machine's Node, with the repo's AWS SDK.
PATH=$ORIG_PATH node "$ROOT/tools/lib/agent-workflow.mjs" prepare "$A" "$MODEL_PORT" >&2 || fail "preparing the bucket, credentials and workflow"
timeout 120 n8n import:credentials --input="$A/credentials.json" >"$LOGS/import-credentials.log" 2>&1 ||
	{ tail -n 30 "$LOGS/import-credentials.log" >&2; fail "n8n import:credentials"; }
timeout 120 n8n import:workflow --separate --input="$A/workflows" >"$LOGS/import-workflows.log" 2>&1 ||
	{ tail -n 30 "$LOGS/import-workflows.log" >&2; fail "n8n import:workflow"; }
log "running examples/ai-agent-tools.json (Manual Trigger instead of the chat trigger) with n8n execute"
t=$SECONDS
timeout 240 n8n execute --id e2eAgentTools001 --rawOutput >"$LOGS/execute.log" 2>&1 || log "n8n execute exited non-zero (checked below)"
log "n8n execute took $((SECONDS - t)) s"
if ! PATH=$ORIG_PATH node "$ROOT/tools/lib/agent-workflow.mjs" check "$A" "$LOGS/execute.log" "$A/model-record.json"; then
	grep -v '^{"level":"debug"' "$LOGS/execute.log" | cut -c1-400 | tail -n 20 >&2
	fail "AI agent run (logs: $LOGS; what the model saw: $A/model-record.json)"
fi
printf '\n==== n8n-e2e-agent: n8n %s, AI Agent with 5 S3 Storage tools, %ss ====\n' "$N8N_VERSION" $((SECONDS - T0))
echo "n8n-e2e-agent: PASSED"
