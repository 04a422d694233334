#!/usr/bin/env bash
# A throw-away, single-node Ceph RADOS Gateway (a real S3 server) on 127.0.0.1 for the
# integration tests and CI. Needs Debian/Ubuntu packages (installed with apt-get, as root
# or through sudo); the daemons themselves run as the calling user, without systemd.
#
#   tools/rgw.sh install   install ceph-mon, ceph-osd, radosgw (quick when already there)
#   tools/rgw.sh up        (install,) wipe $RGW_DIR, start mon + OSD + rgw, create users
#                            and STS roles, print and write $RGW_DIR/env
#   tools/rgw.sh env       print the env file of the running instance
#   tools/rgw.sh status    exit 0 when the gateway answers
#   tools/rgw.sh down      stop rgw, OSD and mon (safe when nothing runs)
#   tools/rgw.sh restart-gateway NAME [DOWN_SECONDS]
#                            kill one gateway (NAME: gw on RGW_PORT, nosts on RGW_NOSTS_PORT) with
#                            SIGKILL, as a crash would, keep it down DOWN_SECONDS (default 1), start
#                            it again as `up` does and wait until it answers; mon, OSD and the other
#                            gateway keep running. For fault tests: kill nosts, others use gw.
#
# Use from a shell:   tools/rgw.sh up && . "${RGW_DIR:-/tmp/n8n-s3-rgw}/env" && npm test
#
# Settings (environment):
#   RGW_DIR=/tmp/n8n-s3-rgw   state, logs, pid files, env file (wiped by `up`)
#   RGW_PORT=7480             S3 endpoint port (STS enabled)
#   RGW_NOSTS_PORT=7481       a second gateway on the same cluster with STS disabled; 0: none.
#                             With STS enabled RGW 16 answers a wrong secret key with 403
#                             AccessDenied; without STS, with 403 SignatureDoesNotMatch as AWS does.
#   RGW_MON_PORT=13300        mon msgr2 port;  RGW_MON_V1_PORT=16789 mon msgr1 port
#   RGW_OSD_PORT_MIN=17800    OSD ports RGW_OSD_PORT_MIN..RGW_OSD_PORT_MIN+99
#   RGW_OSD_SIZE_GB=20        size of the sparse file holding the OSD
#   RGW_ACCESS_KEY / RGW_SECRET_KEY              keys of the test user "tester"
#   RGW_OTHER_ACCESS_KEY / RGW_OTHER_SECRET_KEY  keys of the user "other" (no rights on tester's buckets)
#   RGW_EXTERNAL_ID           external ID required by the role app/S3ExternalId
#   RGW_STS_KEY               16 characters used by RGW to encrypt session tokens
#   RGW_TIMEOUT=120           seconds to wait for each daemon
#
# Roles created (all with an s3:* permission policy):
#   arn:aws:iam:::role/app/S3Access      trusts the user tester          (S3_TEST_ROLE_ARN)
#   arn:aws:iam:::role/app/S3ExternalId  trusts tester only with sts:ExternalId == RGW_EXTERNAL_ID
#                                        (S3_TEST_EXTERNAL_ID_ROLE_ARN, S3_TEST_EXTERNAL_ID); Ceph 16
#                                        ignores sts:ExternalId, so it is always AccessDenied there
#   arn:aws:iam:::role/app/S3NoTrust     trusts nobody: AssumeRole is always AccessDenied
#                                        (S3_TEST_DENIED_ROLE_ARN)
set -euo pipefail

D=${RGW_DIR:-/tmp/n8n-s3-rgw}
PORT=${RGW_PORT:-7480}
NOSTS_PORT=${RGW_NOSTS_PORT:-$((PORT + 1))}
MON2=${RGW_MON_PORT:-13300}
MON1=${RGW_MON_V1_PORT:-16789}
OSD_PMIN=${RGW_OSD_PORT_MIN:-17800}
OSD_GB=${RGW_OSD_SIZE_GB:-20}
AK=${RGW_ACCESS_KEY:-N8NS3TESTACCESSKEY01}
SK=${RGW_SECRET_KEY:-n8nS3TestSecretKey0000000000000000000001}
OAK=${RGW_OTHER_ACCESS_KEY:-N8NS3OTHERACCESSKEY1}
OSK=${RGW_OTHER_SECRET_KEY:-n8nS3OtherSecretKey000000000000000000002}
EXTID=${RGW_EXTERNAL_ID:-n8n-s3-test-external-id}
STS_KEY=${RGW_STS_KEY:-n8ns3stskey12345}
# sts:ExternalId in trust policies: not evaluated by Ceph 16 (see the S3ExternalId role below);
# newer Ceph releases were not checked, so this says "false" unless told otherwise.
EXTID_SUPPORTED=${RGW_EXTERNAL_ID_SUPPORTED:-false}
TIMEOUT=${RGW_TIMEOUT:-120}
CONF=$D/ceph.conf

PACKAGES=(ceph-mon ceph-osd radosgw uuid-runtime curl)
COMMANDS=(ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool uuidgen curl)

T0=$EPOCHREALTIME
log() { LC_ALL=C awk -v a="$EPOCHREALTIME" -v b="$T0" -v m="$*" 'BEGIN { printf "[rgw %5.1fs] %s\n", a - b, m }' >&2; }
die() { echo "rgw.sh: $*" >&2; exit 1; }

# Print the end of a log file, for failures.
tail_log() {
  local f=$1
  if [ -f "$f" ]; then
    echo "----- last lines of $f -----" >&2
    tail -n "${2:-40}" "$f" >&2
    echo "-----" >&2
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "installing packages needs root (or sudo): $*"
  fi
}

missing_commands() {
  local c m=()
  for c in "${COMMANDS[@]}"; do command -v "$c" >/dev/null 2>&1 || m+=("$c"); done
  echo "${m[*]:-}"
}

install() {
  [ -z "$(missing_commands)" ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing $(missing_commands) and no apt-get to install them"
  log "installing ${PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # apt-get update only when the package lists are absent or do not know the packages.
  if ! apt-cache policy ceph-mon radosgw 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    as_root apt-get update -qq
  fi
  if ! as_root apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
    as_root apt-get update -qq   # stale lists (404 on download): refresh once and retry
    as_root apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  fi
  [ -z "$(missing_commands)" ] || die "still missing after install: $(missing_commands)"
  log "installed $(radosgw --version 2>/dev/null | head -n1)"
}

# A zombie counts as stopped (in containers PID 1 may take a second or two to reap it).
pid_alive() {
  local st
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  { read -r st < "/proc/$1/stat"; } 2>/dev/null || return 0
  st=${st##*) }
  [ "${st%% *}" != Z ]
}
daemon_pid() { cat "$D/run/$1.pid" 2>/dev/null || true; }

# "pid program" for the ceph-mon, ceph-osd and radosgw processes started with this
# instance's ceph.conf: covers a lost or stale pid file. Reads /proc without forking.
conf_pids() {
  local p args
  for p in /proc/[0-9]*; do
    args=()
    mapfile -d "" args 2>/dev/null < "$p/cmdline" || continue
    [ ${#args[@]} -gt 2 ] || continue
    case " ${args[*]} " in *" $CONF "*) ;; *) continue ;; esac
    case "${args[0]##*/}" in ceph-mon|ceph-osd|radosgw) echo "${p#/proc/} ${args[0]##*/}" ;; esac
  done
}

# SIGTERM (each daemon shuts down cleanly, in parallel), then SIGKILL after 10 s.
stop_pids() {
  local p left
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null || true
  for _ in $(seq 1 200); do
    left=(); for p in "$@"; do pid_alive "$p" && left+=("$p"); done
    [ ${#left[@]} = 0 ] && return 0
    sleep 0.05
  done
  echo "rgw.sh: pid(s) ${left[*]} did not stop in 10 s, killing them" >&2
  kill -9 "${left[@]}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    left=(); for p in "$@"; do pid_alive "$p" && left+=("$p"); done
    [ ${#left[@]} = 0 ] && return 0
    sleep 0.1
  done
  die "could not stop pid(s) ${left[*]}"
}

# Stop rgw, then the OSD, then the mon: each needs the next one to shut down cleanly
# (rgw waits for OSD ops, an OSD whose mon is gone waits 5 s to report its shutdown).
down() {
  local name prog n p pids found
  found=$(conf_pids)
  for name in "client.rgw.gw client.rgw.nosts:radosgw" osd.0:ceph-osd mon.a:ceph-mon; do
    prog=${name#*:}; name=${name%:*}
    pids=()
    for p in $(for n in $name; do daemon_pid "$n"; done) $(awk -v g="$prog" '$2 == g { print $1 }' <<< "$found"); do
      pid_alive "$p" && case " ${pids[*]:-} " in *" $p "*) ;; *) pids+=("$p") ;; esac
    done
    stop_pids ${pids[@]+"${pids[@]}"}
    for n in $name; do rm -f "$D/run/$n.pid"; done
  done
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Wait until "$@" succeeds; fail with the daemon's log if it dies or time runs out.
wait_for() {
  local what=$1 name=$2; shift 2
  local end=$((SECONDS + TIMEOUT)) p
  until "$@" >/dev/null 2>&1; do
    p=$(daemon_pid "$name")
    if [ -n "$p" ] && ! pid_alive "$p"; then
      tail_log "$D/log/$name.log"; die "$name exited while waiting for $what"
    fi
    if [ $SECONDS -ge $end ]; then
      tail_log "$D/log/$name.log"; die "timed out after ${TIMEOUT}s waiting for $what"
    fi
    sleep 0.1
  done
}

write_conf() {
  cat > "$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON2,v1:127.0.0.1:$MON1]
public network = 127.0.0.0/8
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind port min = $OSD_PMIN
ms bind port max = $((OSD_PMIN + 99))
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
keyring = $D/keys/\$name.keyring
run dir = $D/run
pid file = $D/run/\$name.pid
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
mon cluster log file = $D/log/cluster.log
crash dir = $D/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 2
mon data avail crit = 1
# commit map changes after 50 ms instead of 1 s: RGW's first start makes about ten of them
paxos propose interval = 0.05
[mon]
keyring = $D/mon/\$cluster-\$id/keyring
mon data = $D/mon/\$cluster-\$id
[osd]
keyring = $D/osd/\$cluster-\$id/keyring
osd data = $D/osd/\$cluster-\$id
osd objectstore = bluestore
bluestore block path = $D/osd/\$cluster-\$id/block.img
bluestore block create = true
bluestore block size = $((OSD_GB * 1024 * 1024 * 1024))
bluestore fsck on mkfs = false
# each close of the block file waits for the aio thread's poll timeout (250 ms by default,
# and mkfs + start close it about 15 times)
bdev aio poll ms = 10
osd memory target = 1073741824
osd max object size = 134217728
[client]
rgw thread pool size = 64
# allow SSE-C over plain http (tests run without TLS)
rgw crypt require ssl = false
rgw sts key = $STS_KEY
[client.rgw.gw]
# without tcp_nodelay every request on a reused connection stalls about 40 ms
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
# STS: AssumeRole is answered by the S3 endpoint itself (rgw sts key must be 16 characters)
rgw s3 auth use sts = true
[client.rgw.nosts]
rgw frontends = beast endpoint=127.0.0.1:$NOSTS_PORT tcp_nodelay=1
EOF
}

policy_trust() {   # $1 = JSON principal list, $2 = optional extra JSON (",\"Condition\":{...}")
  printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[%s]},"Action":["sts:AssumeRole"]%s}]}' "$1" "${2:-}"
}
POLICY_S3ALL='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}'

make_role() {   # name, trust policy
  radosgw-admin -c "$CONF" role create --role-name="$1" --path=/app/ --assume-role-policy-doc="$2" >/dev/null
  radosgw-admin -c "$CONF" role-policy put --role-name="$1" --policy-name=s3all --policy-doc="$POLICY_S3ALL" >/dev/null
}

# Wait for the background jobs whose pids are in the array JOBS; fail if any failed.
wait_jobs() {
  local j rc=0
  for j in "${JOBS[@]}"; do wait "$j" || rc=1; done
  JOBS=()
  [ $rc = 0 ] || { tail_log "$D/log/admin.log"; die "radosgw-admin setup failed"; }
}

up() {
  install
  # Only ever wipe a directory this script created (it holds the marker file).
  if [ -e "$D" ] && [ ! -e "$D/.rgw.sh" ] && [ ! -e "$D/ceph.conf" ] && [ -n "$(ls -A "$D" 2>/dev/null)" ]; then
    die "$D exists, is not empty and was not made by this script: refusing to wipe it (set RGW_DIR)"
  fi
  down
  # On any failure from here on, stop whatever was started (the logs stay in $D/log).
  trap 'rc=$?; if [ $rc != 0 ]; then echo "rgw.sh: up failed, stopping the daemons; logs in $D/log" >&2; down; fi' EXIT
  rm -rf "$D"
  mkdir -p "$D"/{run,log,keys,crash,mon/ceph-a,osd/ceph-0}
  echo "state of tools/rgw.sh; wiped by every 'rgw.sh up'" > "$D/.rgw.sh"
  local port
  for port in "$PORT" "$MON2" "$MON1" "$NOSTS_PORT"; do
    [ "$port" = 0 ] && continue
    port_busy "$port" && die "port $port on 127.0.0.1 is already in use (set RGW_PORT / RGW_NOSTS_PORT / RGW_MON_PORT / RGW_MON_V1_PORT)"
  done
  FSID=$(uuidgen)
  write_conf
  local C=(-c "$CONF")

  log "mon: bootstrap"
  ceph-authtool --create-keyring "$D/keys/mon.a.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$D/keys/client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$D/keys/mon.a.keyring" --import-keyring "$D/keys/client.admin.keyring" >/dev/null
  local gw
  for gw in gw nosts; do   # gateway keys, registered with the mon from the start
    ceph-authtool --create-keyring "$D/keys/client.rgw.$gw.keyring" --gen-key -n "client.rgw.$gw" \
      --cap mon 'allow rw' --cap osd 'allow rwx' >/dev/null
    ceph-authtool "$D/keys/mon.a.keyring" --import-keyring "$D/keys/client.rgw.$gw.keyring" >/dev/null
  done
  monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON2,v1:127.0.0.1:$MON1]" "$D/monmap" >/dev/null
  ceph-mon "${C[@]}" --mkfs -i a --monmap "$D/monmap" --keyring "$D/keys/mon.a.keyring" \
    > "$D/log/mon-mkfs.log" 2>&1 || { tail_log "$D/log/mon-mkfs.log"; die "ceph-mon --mkfs failed"; }
  ceph-mon "${C[@]}" -i a > "$D/log/mon-start.log" 2>&1 || { tail_log "$D/log/mon.a.log"; die "ceph-mon failed to start"; }

  log "osd: register + mkfs"
  local osd_uuid osd_key id
  osd_uuid=$(uuidgen); osd_key=$(ceph-authtool --gen-print-key)
  printf '{"cephx_secret": "%s"}\n' "$osd_key" > "$D/osd-secret.json"
  id=$(timeout "$TIMEOUT" ceph "${C[@]}" osd new "$osd_uuid" -i "$D/osd-secret.json" 2> "$D/log/osd-new.log") \
    || { tail_log "$D/log/osd-new.log"; tail_log "$D/log/mon.a.log"; die "ceph osd new failed"; }
  [ "$id" = 0 ] || die "unexpected OSD id '$id'"
  ceph-authtool --create-keyring "$D/osd/ceph-0/keyring" --name osd.0 --add-key "$osd_key" >/dev/null
  ceph-osd "${C[@]}" -i 0 --mkfs --osd-uuid "$osd_uuid" --key "$osd_key" > "$D/log/osd-mkfs.log" 2>&1 \
    || { tail_log "$D/log/osd-mkfs.log"; tail_log "$D/log/osd.0.log"; die "ceph-osd --mkfs failed"; }
  log "osd: start"
  ceph-osd "${C[@]}" -i 0 > "$D/log/osd-start.log" 2>&1 || { tail_log "$D/log/osd.0.log"; die "ceph-osd failed to start"; }

  log "rgw: start"
  radosgw "${C[@]}" -n client.rgw.gw > "$D/log/rgw-start.log" 2>&1 || { tail_log "$D/log/client.rgw.gw.log"; die "radosgw failed to start"; }
  wait_for "the S3 endpoint on port $PORT" client.rgw.gw curl -sf -o /dev/null "http://127.0.0.1:$PORT/"
  log "rgw: answering on http://127.0.0.1:$PORT"
  if [ "$NOSTS_PORT" != 0 ]; then   # its pools exist now: starts in about a second, in parallel
    radosgw "${C[@]}" -n client.rgw.nosts > "$D/log/rgw-nosts-start.log" 2>&1 \
      || { tail_log "$D/log/client.rgw.nosts.log"; die "second radosgw (no STS) failed to start"; }
  fi

  # Users and roles: independent radosgw-admin calls, run in parallel.
  : > "$D/log/admin.log"
  JOBS=()
  radosgw-admin "${C[@]}" user create --uid=tester --display-name="n8n S3 tester" \
    --access-key="$AK" --secret-key="$SK" >/dev/null 2>>"$D/log/admin.log" & JOBS+=($!)
  radosgw-admin "${C[@]}" user create --uid=other --display-name="n8n S3 other (no rights on tester's buckets)" \
    --access-key="$OAK" --secret-key="$OSK" >/dev/null 2>>"$D/log/admin.log" & JOBS+=($!)
  make_role S3Access "$(policy_trust '"arn:aws:iam:::user/tester"')" 2>>"$D/log/admin.log" & JOBS+=($!)
  # Ceph 16.2 accepts the ExternalId parameter of AssumeRole but does not put sts:ExternalId in
  # the condition context, so this StringEquals condition never matches (checked on 16.2.15).
  make_role S3ExternalId "$(policy_trust '"arn:aws:iam:::user/tester"' \
    ",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"$EXTID\"}}")" 2>>"$D/log/admin.log" & JOBS+=($!)
  make_role S3NoTrust "$(policy_trust '"arn:aws:iam:::user/nobody"')" 2>>"$D/log/admin.log" & JOBS+=($!)
  wait_jobs
  if [ "$NOSTS_PORT" != 0 ]; then
    wait_for "the no-STS endpoint on port $NOSTS_PORT" client.rgw.nosts curl -sf -o /dev/null "http://127.0.0.1:$NOSTS_PORT/"
  fi

  {
    echo "# Ceph RGW $(radosgw --version 2>/dev/null | awk '{ print $3 }') started by tools/rgw.sh (RGW_DIR=$D)"
    echo "export S3_TEST_SERVER=rgw"
    echo "export S3_TEST_ENDPOINT=http://127.0.0.1:$PORT"
    echo "export S3_TEST_REGION=us-east-1"
    echo "export S3_TEST_FORCE_PATH_STYLE=true"
    echo "export S3_TEST_ACCESS_KEY_ID=$AK"
    echo "export S3_TEST_SECRET_ACCESS_KEY=$SK"
    echo "# a second user: no rights on the first user's buckets, not trusted by any role"
    echo "export S3_TEST_OTHER_ACCESS_KEY_ID=$OAK"
    echo "export S3_TEST_OTHER_SECRET_ACCESS_KEY=$OSK"
    echo "# AssumeRole at S3_TEST_ENDPOINT; trusts the first user; s3:* on everything"
    echo "export S3_TEST_ROLE_ARN=arn:aws:iam:::role/app/S3Access"
    echo "# trusts nobody: AssumeRole answers 403 AccessDenied"
    echo "export S3_TEST_DENIED_ROLE_ARN=arn:aws:iam:::role/app/S3NoTrust"
    echo "# trusts the first user on condition StringEquals sts:ExternalId. Ceph 16 does not supply"
    echo "# sts:ExternalId to trust-policy conditions, so this role is denied with or without the id."
    echo "export S3_TEST_EXTERNAL_ID_ROLE_ARN=arn:aws:iam:::role/app/S3ExternalId"
    echo "export S3_TEST_EXTERNAL_ID=$EXTID"
    echo "export S3_TEST_EXTERNAL_ID_SUPPORTED=$EXTID_SUPPORTED"
    if [ "$NOSTS_PORT" != 0 ]; then
      echo "# same users and buckets, STS disabled: a wrong secret gets 403 SignatureDoesNotMatch here"
      echo "# (403 AccessDenied at S3_TEST_ENDPOINT, where STS is enabled)"
      echo "export S3_TEST_ENDPOINT_NO_STS=http://127.0.0.1:$NOSTS_PORT"
    fi
  } > "$D/env"
  trap - EXIT
  log "ready (state and logs in $D)"
  cat "$D/env"
}

# Kill one radosgw by its pid file (only if that pid is this instance's gateway NAME) and start it again.
restart_gateway() {
  local gw=${1:-} down_s=${2:-1} port name p args
  case "$gw" in
    gw) port=$PORT ;;
    nosts) port=$NOSTS_PORT; [ "$port" != 0 ] || die "no second gateway (RGW_NOSTS_PORT=0)" ;;
    *) die "usage: $0 restart-gateway gw|nosts [DOWN_SECONDS]" ;;
  esac
  [[ "$down_s" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "DOWN_SECONDS must be a number of seconds, got '$down_s'"
  name=client.rgw.$gw
  p=$(daemon_pid "$name")
  pid_alive "$p" || die "$name is not running (no live pid in $D/run/$name.pid)"
  # A stale pid file could name someone else's process: kill only radosgw -c $CONF -n $name.
  args=()
  mapfile -d "" args 2>/dev/null < "/proc/$p/cmdline" || die "cannot read the command line of pid $p"
  case " ${args[*]} " in *" $CONF "*" $name "*|*" $name "*" $CONF "*) ;; *) die "pid $p is not $name of $CONF: ${args[*]}" ;; esac
  [ "${args[0]##*/}" = radosgw ] || die "pid $p is not radosgw: ${args[*]}"
  log "$name: killing pid $p"
  kill -9 "$p"
  for _ in $(seq 1 100); do pid_alive "$p" || break; sleep 0.05; done
  pid_alive "$p" && die "pid $p did not die"
  rm -f "$D/run/$name.pid"   # else wait_for sees the dead pid before the new daemon writes its own
  sleep "$down_s"
  log "$name: starting"
  radosgw -c "$CONF" -n "$name" > "$D/log/rgw-$gw-restart.log" 2>&1 || { tail_log "$D/log/$name.log"; die "$name failed to start"; }
  wait_for "$name on port $port" "$name" curl -sf -o /dev/null "http://127.0.0.1:$port/"
  log "$name: answering on http://127.0.0.1:$port (pid $(daemon_pid "$name"))"
}

running() {
  pid_alive "$(daemon_pid client.rgw.gw)" && curl -sf -o /dev/null "http://127.0.0.1:$PORT/"
}

case "${1:-}" in
  install) install ;;
  up) up ;;
  down) down ;;
  env)
    { [ -f "$D/env" ] && pid_alive "$(daemon_pid client.rgw.gw)"; } || die "no running instance in $D (run: $0 up)"
    cat "$D/env" ;;
  restart-gateway) restart_gateway "${2:-}" "${3:-}" ;;
  status) running || die "not running (RGW_DIR=$D, RGW_PORT=$PORT)"; echo "running: http://127.0.0.1:$PORT" ;;
  *) echo "usage: $0 install|up|down|env|status|restart-gateway   (see the header of $0)" >&2; exit 2 ;;
esac
