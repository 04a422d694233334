#!/usr/bin/env bash
# Runs the whole integration suite against a real Ceph RGW: starts one (unless one already
# answers on RGW_PORT), runs the suite with its env, and stops it again if this script started it.
set -euo pipefail
cd "$(dirname "$0")/.."
RGW_DIR=${RGW_DIR:-/tmp/n8n-s3-rgw}
PORT=${RGW_PORT:-7480}
started=0
if ! curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
	RGW_DIR=$RGW_DIR tools/rgw.sh up >/dev/null
	started=1
fi
cleanup() { if [ "$started" = 1 ]; then RGW_DIR=$RGW_DIR tools/rgw.sh down; fi; }
trap cleanup EXIT
set -a
# shellcheck disable=SC1091
. "$RGW_DIR/env"
set +a
npx jest --runInBand "$@"
