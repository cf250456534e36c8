#!/usr/bin/env bash
# Brings up what envctl's integration tests need on a Debian 12 host that reaches Debian's mirror and npm but
# not Docker Hub or PyPI: a Docker engine, a local registry that doubles as the engine's Docker Hub mirror,
# stand-in base and service images pushed there under their Docker Hub names, a local PEP 503 package mirror, and an
# unprivileged user to run the CLI as. Idempotent: every step checks what is already up and does only the rest.
# Progress and per-phase timings go to stderr. Must run as root.
#
# Knobs: ENVCTL_CI_DIR (work dir, default /var/lib/envctl-ci), ENVCTL_CI_PIP_PORT (default 8081).
# Stop what it started with .ci/teardown.sh. The measured recipe behind it: engine-recipe.md in the shared notes.
set -euo pipefail

W=${ENVCTL_CI_DIR:-/var/lib/envctl-ci}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOCK=/var/run/docker.sock
REGISTRY=127.0.0.1:5000
PIP_PORT=${ENVCTL_CI_PIP_PORT:-8081}
PIP_URL=http://127.0.0.1:$PIP_PORT
CI_USER=envctl-ci
CI_UID=1500
# A second unprivileged account: two users with different uids on one project must get the same image.
CI_USER2=envctl-ci2
CI_UID2=1501
# Debian's 20.10 CLI has BuildKit built in; the 28.x CLI some images put first in PATH lacks buildx.
DOCKER=(/usr/bin/docker -H "unix://$SOCK")
# python3 runs the package mirror; iproute2, e2fsprogs and openssl serve the side engines of the fault and GPU tests;
# docker-compose checks the compose export. Most are in the base image already, so normally a no-op.
APT_PACKAGES=(docker.io docker-registry debootstrap curl ca-certificates hyperfine xz-utils chromium python3 docker-compose iproute2 e2fsprogs openssl openssh-server apache2-utils)
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1

T0=$EPOCHREALTIME
NOTE=''
SUMMARY=()

since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[setup %6ss] %s\n' "$(since "$T0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# phase TITLE FUNCTION [ARGS…]: runs one step and records its wall time; the step may set NOTE.
phase() {
  local title=$1 start=$EPOCHREALTIME took
  shift
  NOTE=''
  log "start: $title"
  "$@"
  took=$(since "$start")
  log "done:  $title (${took}s)${NOTE:+: $NOTE}"
  SUMMARY+=("$(printf '%7ss  %-34s %s' "$took" "$title" "$NOTE")")
}

# wait_for WHAT SECONDS COMMAND…: polls every 0.1 s.
wait_for() {
  local what=$1 tries=$(($2 * 10))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((--tries > 0)) || die "timed out waiting for $what"
    sleep 0.1
  done
}

# run_logged LOGFILE COMMAND…: keeps noisy output in a file and shows its tail only when the command fails.
run_logged() {
  local logfile=$1
  shift
  "$@" >"$logfile" 2>&1 || {
    local rc=$?
    tail -n 40 "$logfile" >&2
    die "'$*' failed with status $rc (full log: $logfile)"
  }
}

# start_bg NAME COMMAND…: detached from this shell (setsid + nohup, cwd /) so it outlives setup and CI steps.
# The subshell execs through setsid and nohup, so $! is the program's own pid.
start_bg() {
  local name=$1
  shift
  (cd / && exec setsid nohup "$@") >"$W/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$W/pids/$name.pid"
}

engine_up() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://engine/_ping; }
registry_up() { curl -fsS --max-time 2 "http://$REGISTRY/v2/"; }
pip_mirror_up() { curl -fsS --max-time 5 "$PIP_URL/simple/jupyterlab/"; }

install_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) == ii* ]] || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    NOTE="all ${#APT_PACKAGES[@]} already installed"
    return
  fi
  run_logged "$W/logs/apt-update.log" apt-get update
  run_logged "$W/logs/apt-install.log" apt-get install -y --no-install-recommends "${missing[@]}"
  NOTE="installed ${missing[*]}"
}

start_engine() {
  if engine_up >/dev/null 2>&1; then
    NOTE="reusing the daemon on $SOCK"
    curl -fsS --unix-socket "$SOCK" http://engine/info | grep -qF "http://$REGISTRY" ||
      log "warning: that daemon has no --registry-mirror http://$REGISTRY; pulls of Docker Hub names will fail"
    return
  fi
  # Default networking (docker0 bridge + NAT) so -p publishing works. No systemd here and policy-rc.d
  # blocks the package's service, so the daemon is started by hand. 127.0.0.0/8 is insecure by default.
  start_bg dockerd dockerd -H "unix://$SOCK" --registry-mirror "http://$REGISTRY"
  wait_for "dockerd /_ping (log: $W/logs/dockerd.log)" 60 engine_up
  NOTE="started pid $(cat "$W/pids/dockerd.pid")"
}

start_registry() {
  if registry_up >/dev/null 2>&1; then
    NOTE="reusing the registry on $REGISTRY"
    return
  fi
  # The packaged /etc/docker/registry/config.yml listens on all interfaces and points htpasswd at a directory.
  mkdir -p "$W/registry/data"
  cat >"$W/registry/config.yml" <<YML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $W/registry/data}
  delete: {enabled: true}
http: {addr: $REGISTRY}
YML
  start_bg registry docker-registry serve "$W/registry/config.yml"
  wait_for "registry /v2/ (log: $W/logs/registry.log)" 30 registry_up
  NOTE="started pid $(cat "$W/pids/registry.pid")"
}

# apt_uri SUITE: the first URI that the machine's own apt sources use for SUITE (deb822 first, then one-line).
apt_uri() {
  local uri
  uri=$(awk -v suite="$1" 'BEGIN { RS = "" } {
      uris = ""; suites = ""; deb = 0
      n = split($0, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] ~ /^Types:.*(^|[ \t])deb([ \t]|$)/) deb = 1
        if (lines[i] ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", lines[i]); uris = lines[i] }
        if (lines[i] ~ /^Suites:/) { sub(/^Suites:/, "", lines[i]); suites = " " lines[i] " " }
      }
      if (deb && index(suites, " " suite " ")) { split(uris, u, /[ \t]+/); print u[1]; exit }
    }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [[ -n $uri ]] || uri=$(awk -v suite="$1" '$1 == "deb" { sub(/^\[[^]]*\][ \t]*/, "", $2) }
      $1 == "deb" && $3 == suite { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  printf '%s' "$uri"
}

umount_below() { findmnt -rn -o TARGET | awk -v p="$1/" 'index($0, p) == 1' | sort -r | xargs -r umount -l; }

# debootstrap minbase, trimmed as the recipe measured (206 MB -> 117 MB): no cached .debs or lists, and the
# -updates and -security suites the official images carry.
bootstrap_debian() {
  local tarball=$1 root="$W/cache/rootfs" mirror security
  mirror=$(apt_uri bookworm)
  security=$(apt_uri bookworm-security)
  mirror=${mirror:-http://deb.debian.org/debian}
  security=${security:-http://deb.debian.org/debian-security}
  umount_below "$root"
  rm -rf "${root:?}"
  run_logged "$W/logs/debootstrap.log" debootstrap --variant=minbase bookworm "$root" "$mirror"
  umount_below "$root"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  printf '%s\n' "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb $security bookworm-security main" >"$root/etc/apt/sources.list"
  tar --numeric-owner -C "$root" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  rm -rf "${root:?}"
}

build_debian() {
  local ref=$1 tarball="$W/cache/debian-bookworm-minbase.tar"
  if [[ -s $tarball ]]; then
    log "  using cached rootfs $tarball"
  else
    bootstrap_debian "$tarball"
  fi
  "${DOCKER[@]}" import -m 'envctl CI stand-in: debootstrap minbase' \
    -c 'LABEL dev.envctl.ci.stand-in=debian:bookworm-slim' -c 'CMD ["bash"]' "$tarball" "$ref" >/dev/null
}

# build_context REF DIR: BuildKit build with host networking, so RUN steps reach the Debian mirror.
build_context() {
  local ref=$1 dir=$2
  DOCKER_BUILDKIT=1 run_logged "$W/logs/build-${ref//[:\/]/_}.log" \
    "${DOCKER[@]}" build --network host --progress plain -t "$ref" "$dir"
}

build_python() {
  local dir="$W/ctx/python"
  mkdir -p "$dir"
  cat >"$dir/Dockerfile" <<'DOCKERFILE'
# envctl CI stand-in for python:3.11-slim-bookworm: Debian's Python 3.11.2 rather than a source-built one.
# Like the official image it has python/python3/pip/pip3 in /usr/local/bin and no PEP 668 marker.
FROM debian:bookworm-slim
LABEL dev.envctl.ci.stand-in="python:3.11-slim-bookworm (Debian python3 3.11.2)"
ENV LANG=C.UTF-8
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv python3-pip \
 && rm -rf /var/lib/apt/lists/* /usr/lib/python3.11/EXTERNALLY-MANAGED \
 && ln -s /usr/bin/python3 /usr/local/bin/python && ln -s /usr/bin/python3 /usr/local/bin/python3 \
 && ln -s /usr/bin/pip3 /usr/local/bin/pip && ln -s /usr/bin/pip3 /usr/local/bin/pip3 \
 && python --version && pip --version
CMD ["python3"]
DOCKERFILE
  build_context "$1" "$dir"
}

build_node() {
  local dir="$W/ctx/node" node npm_dir
  node=$(command -v node) || die "node is needed to build the node:20 stand-in"
  [[ $("$node" -p 'process.versions.node.split(".")[0]') == 20 ]] ||
    log "warning: host node is $("$node" --version), not 20; the node:20-bookworm-slim stand-in will carry it anyway"
  npm_dir="$(npm root -g)/npm"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -L "$node" "$dir/node"
  cp -a "$npm_dir" "$dir/npm"
  cat >"$dir/Dockerfile" <<DOCKERFILE
# envctl CI stand-in for node:20-bookworm-slim: the CI host's own node $("$node" --version) and npm, copied in
# (Debian's nodejs/npm packages are node 18 and 475 packages). User node (uid 1000) as in the official image.
FROM debian:bookworm-slim
LABEL dev.envctl.ci.stand-in="node:20-bookworm-slim (host node $("$node" --version))"
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
CMD ["node"]
DOCKERFILE
  build_context "$1" "$dir"
}

build_maven() {
  local dir="$W/ctx/maven"
  mkdir -p "$dir"
  cat >"$dir/Dockerfile" <<'DOCKERFILE'
# envctl CI stand-in for maven:3.9-eclipse-temurin-17: Debian's OpenJDK 17 and Maven 3.8.7, not Temurin and 3.9.
FROM debian:bookworm-slim
LABEL dev.envctl.ci.stand-in="maven:3.9-eclipse-temurin-17 (Debian openjdk-17 + maven 3.8.7)"
ENV LANG=C.UTF-8 JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 MAVEN_HOME=/usr/share/maven
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/* \
 && java -version && mvn --version
CMD ["jshell"]
DOCKERFILE
  build_context "$1" "$dir"
}

image_local() { "${DOCKER[@]}" image inspect "$1" >/dev/null 2>&1; }
image_in_registry() { curl -fsS --max-time 5 "http://$REGISTRY/v2/library/$1/tags/list" 2>/dev/null | grep -qF "\"$2\""; }

# ensure_image NAME TAG BUILDER: makes NAME:TAG present both locally and in the registry under library/NAME,
# building it only when neither has it.
ensure_image() {
  local name=$1 tag=$2 builder=$3 local_ref="$1:$2" mirror_ref="$REGISTRY/library/$1:$2" here=0 there=0
  image_local "$local_ref" && here=1
  image_in_registry "$name" "$tag" && there=1
  if ((here && there)); then
    NOTE='present'
    return
  fi
  if ((there)); then
    run_logged "$W/logs/pull.log" "${DOCKER[@]}" pull "$mirror_ref"
    "${DOCKER[@]}" tag "$mirror_ref" "$local_ref"
    NOTE='pulled from the local registry'
    return
  fi
  if ((here)); then
    NOTE='pushed'
  else
    "$builder" "$local_ref"
    NOTE="built, $("${DOCKER[@]}" image inspect -f '{{.Size}}' "$local_ref" | awk '{ printf "%d MB", $1 / 1e6 }')"
  fi
  "${DOCKER[@]}" tag "$local_ref" "$mirror_ref"
  run_logged "$W/logs/push.log" "${DOCKER[@]}" push "$mirror_ref"
}

# ---- Stand-in service images (services beside the environment, docs/SERVICES.md) ----------------------------
# The catalog's databases, cache and web server, built from Debian bookworm packages with entrypoints that keep
# the official images' contract (.ci/service-images/NAME/), pushed under their Docker Hub names so that
# `envctl up` pulls them through the engine's mirror for real. mysql:8.4 and mariadb:10.11 are one image.
SERVICE_IMAGES=(postgres:16:postgres mysql:8.4:mariadb mariadb:10.11:mariadb redis:7:redis nginx:1.27:nginx)
SERVICE_DIR=''

build_service() { build_context "$1" "$HERE/service-images/$SERVICE_DIR"; }

# ensure_service_image NAME TAG: in the registry under library/NAME:TAG, built only when it is not there. Unlike
# the base images no local tag is kept: the engine has to pull it through its mirror as it would from Docker Hub.
ensure_service_image() {
  local name=$1 tag=$2 local_ref="$1:$2" mirror_ref="$REGISTRY/library/$1:$2"
  if image_in_registry "$name" "$tag"; then
    NOTE='present'
    return
  fi
  build_service "$local_ref"
  NOTE="built, $("${DOCKER[@]}" image inspect -f '{{.Size}}' "$local_ref" | awk '{ printf "%d MB", $1 / 1e6 }')"
  "${DOCKER[@]}" tag "$local_ref" "$mirror_ref"
  run_logged "$W/logs/push.log" "${DOCKER[@]}" push "$mirror_ref"
  "${DOCKER[@]}" rmi "$local_ref" "$mirror_ref" >/dev/null
}

ensure_service_images() {
  local entry name tag notes=()
  for entry in "${SERVICE_IMAGES[@]}"; do
    IFS=: read -r name tag SERVICE_DIR <<<"$entry"
    ensure_service_image "$name" "$tag"
    notes+=("$name:$tag $NOTE")
  done
  NOTE=$(IFS=';'; printf '%s' "${notes[*]}")
}
# ---- end of stand-in service images ------------------------------------------------------------------------

# ensure_user NAME UID: the CLI runs as this user in integration tests, so that they can check file ownership
# for a non-root caller.
ensure_user() {
  local user=$1 uid=$2
  if ! getent passwd "$user" >/dev/null; then
    local taken
    taken=$(getent passwd "$uid" | cut -d: -f1 || true)
    [[ -z $taken ]] || die "uid $uid is taken by '$taken'; cannot create $user"
    useradd --uid "$uid" --user-group --create-home --shell /bin/bash "$user"
    NOTE="created uid $uid"
  else
    NOTE="exists (uid $(id -u "$user"))"
  fi
  id -nG "$user" | grep -qw docker || usermod -aG docker "$user"
  # useradd leaves the account locked ('!'), and sshd (without PAM) refuses key logins to a locked account; the
  # ssh:// tests log in as this user. '*' is still no password.
  [[ $(getent shadow "$user" | cut -d: -f2) != '!'* ]] || usermod -p '*' "$user"
  # dockerd gives its socket to group docker only if that group existed when it started.
  [[ $(stat -c %G "$SOCK") == docker ]] || chgrp docker "$SOCK"
  chmod g+rw "$SOCK"
}

start_pip_mirror() {
  if pip_mirror_up >/dev/null 2>&1; then
    NOTE="reusing the mirror on $PIP_URL"
    return
  fi
  local config indexes=() wheels=() url
  # pip's own config names the local trees: extra-index-url file:///…/simple …, find-links /…/wheels.
  config=$( (pip config list || python3 -m pip config list) 2>/dev/null || true)
  for url in $(sed -n "s/^global\.extra-index-url='\(.*\)'$/\1/p" <<<"$config"); do
    [[ $url == file://* ]] && indexes+=(--index "${url#file://}")
  done
  for url in $(sed -n "s/^global\.find-links='\(.*\)'$/\1/p" <<<"$config"); do
    [[ -d ${url#file://} ]] && wheels+=(--wheels "${url#file://}")
  done
  ((${#indexes[@]})) || die "pip config names no file:// extra-index-url; nothing to serve"
  start_bg pip-mirror python3 "$HERE/pip-mirror.py" --port "$PIP_PORT" --state-dir "$W" "${indexes[@]}" "${wheels[@]}"
  wait_for "pip mirror on $PIP_URL (log: $W/logs/pip-mirror.log)" 120 pip_mirror_up
  NOTE="started pid $(cat "$W/pids/pip-mirror.pid"): ${indexes[*]} ${wheels[*]}"
}

write_env() {
  cat >"$W/env.sh" <<ENV
# Written by .ci/setup.sh; source it before running integration tests.
export ENVCTL_TEST_PIP_INDEX=$PIP_URL/simple
export ENVCTL_TEST_PYTORCH_MIRROR=$PIP_URL/whl
export ENVCTL_TEST_REGISTRY=$REGISTRY
export ENVCTL_TEST_USER=$CI_USER
export ENVCTL_TEST_USER2=$CI_USER2
export DOCKER_HOST=unix://$SOCK
ENV
  NOTE="$W/env.sh"
}

main() {
  [[ $(id -u) == 0 ]] || die "run as root (it installs packages and starts dockerd)"
  mkdir -p "$W"/{logs,pids,cache,ctx}
  log "work dir $W"
  phase 'apt packages' install_packages
  phase 'dockerd' start_engine
  phase 'registry' start_registry
  phase "user $CI_USER" ensure_user "$CI_USER" "$CI_UID"
  phase "user $CI_USER2" ensure_user "$CI_USER2" "$CI_UID2"
  phase 'image debian:bookworm-slim' ensure_image debian bookworm-slim build_debian
  phase 'image python:3.11-slim-bookworm' ensure_image python 3.11-slim-bookworm build_python
  phase 'image node:20-bookworm-slim' ensure_image node 20-bookworm-slim build_node
  phase 'image maven:3.9-eclipse-temurin-17' ensure_image maven 3.9-eclipse-temurin-17 build_maven
  phase 'service images (stand-ins)' ensure_service_images
  phase 'pip mirror' start_pip_mirror
  phase 'env file' write_env
  {
    echo "envctl CI set-up finished in $(since "$T0")s"
    printf '%s\n' "${SUMMARY[@]}"
    echo "engine    unix://$SOCK (mirror http://$REGISTRY)   registry http://$REGISTRY   pip $PIP_URL/simple, $PIP_URL/whl/cpu"
    echo "user      $CI_USER uid $(id -u "$CI_USER")   logs $W/logs   env: source $W/env.sh"
  } >&2
}

main "$@"
