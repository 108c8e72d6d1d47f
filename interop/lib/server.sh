# Sourced by the IMAP interop checks (interop/imap, interop/imap-dovecot), not run by interop/run (it is not
# executable). It installs what the caller lists in $APT_PACKAGES (program=package pairs), builds the jar when the
# sources changed, and starts a private Postwerk: free loopback ports (SMTP, IMAP with STARTTLS, IMAPS), data in
# a temporary folder, DNS pointed at a dead loopback port, and the user alice@example.test. It defines
# pass/fail/die and a cleanup trap that stops the server (and whatever the caller put in $STOP_PIDS) and removes
# the folder; INTEROP_KEEP=1 keeps the folder for a look.
#   Afterwards: $tmp $PY $java $jar $cfg $SMTP $IMAP $IMAPS $USER_ADDR $PW $maildir (alice's Maildir).
# A caller that needs its own helpers running first (a DNS server, milters) defines before_server: it runs once
# the folder and ports exist, may start them (their ids into STOP_PIDS) and may set DNS_SERVERS (TOML array items,
# default the dead port), SMTP_TOML (lines of the smtp listener) and EXTRA_TOML (appended to the configuration).
set -uo pipefail
NAME=${NAME:-interop/$(basename "$0")}

die() { echo "FAIL setup: $*"; exit 2; }
failures=0
pass() { echo "PASS $*"; }
fail() { # name why [transcript file]
  echo "FAIL $1: $2"
  [ -n "${3:-}" ] && [ -s "$3" ] && tail -40 "$3" | sed 's/^/    /'
  failures=$((failures + 1))
}

# --- Tools ------------------------------------------------------------------------------------------------
install_missing() {
  local pkgs=() pair prog
  for pair in ${APT_PACKAGES:-} python3=python3 curl=curl; do   # program (or absolute path)=package
    prog=${pair%%=*}
    case $prog in
      /*) [ -x "$prog" ] || pkgs+=("${pair#*=}") ;;
      *) [ -x "/usr/bin/$prog" ] || [ -x "/usr/sbin/$prog" ] || pkgs+=("${pair#*=}") ;;
    esac
  done
  [ ${#pkgs[@]} -eq 0 ] && return 0
  INSTALLED="${pkgs[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || die "need root (or sudo) to install: ${pkgs[*]}"
    sudo=(sudo -n)
  fi
  echo "$NAME: installing ${pkgs[*]}"
  "${sudo[@]}" apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" \
    >/dev/null || die "apt-get install ${pkgs[*]} failed"
}
INSTALLED=
install_missing
PY=/usr/bin/python3            # Debian's, the one offlineimap runs on too
[ -x "$PY" ] || die "no /usr/bin/python3"

JAVA_HOME="$(scripts/find-jdk)" || die "no JDK (scripts/find-jdk)"
export JAVA_HOME
java="$JAVA_HOME/bin/java"
jar=target/postwerk.jar
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "$NAME: building $jar"
  ./mvnw -q -B -DskipTests package >&2 || die "build failed"
fi

# --- A private server -------------------------------------------------------------------------------------
tmp=$(mktemp -d) || die "mktemp"
chmod 755 "$tmp"               # Dovecot's unprivileged processes reach their files below it
server_pid=
STOP_PIDS=()
stop_pid() {
  kill -0 "$1" 2>/dev/null || return 0
  kill "$1"
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$1" 2>/dev/null && kill -9 "$1"
  wait "$1" 2>/dev/null
}
cleanup() {
  local p
  for p in "${STOP_PIDS[@]}" $server_pid; do stop_pid "$p"; done
  if [ -n "${INTEROP_KEEP:-}" ]; then echo "$NAME: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_ports() { # n: n free loopback TCP ports
  "$PY" -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}
read -r SMTP IMAP IMAPS <<<"$(free_ports 3)" || die "no free ports"
[ -n "$IMAPS" ] || die "no free ports"
DNS_SERVERS='"127.0.0.1:9"' SMTP_TOML= EXTRA_TOML=
declare -F before_server >/dev/null && before_server
cfg="$tmp/postwerk.toml"
cat >"$cfg" <<TOML
hostname = "mx.example.test"
data_dir = "data"
local_domains = ["example.test"]
relay_networks = []

[[listener]]
role = "smtp"
address = "127.0.0.1"
port = $SMTP
$SMTP_TOML

[[listener]]
role = "imap"
address = "127.0.0.1"
port = $IMAP

[[listener]]
role = "imaps"
address = "127.0.0.1"
port = $IMAPS

[imap]
append_limit = "${APPEND_LIMIT:-1MiB}"

[smtp]
postmaster = "alice@example.test"

[dns]
servers = [$DNS_SERVERS]
timeout = "1s"
$EXTRA_TOML
TOML
USER_ADDR=alice@example.test
PW='correct horse battery staple'
echo "$PW" | "$java" -jar "$jar" user add "$USER_ADDR" --config "$cfg" >"$tmp/user.log" 2>&1 \
  || die "user add: $(cat "$tmp/user.log")"
maildir="$tmp/data/mail/example.test/alice/Maildir"

start_server() {
  "$java" -jar "$jar" serve --config "$cfg" >>"$tmp/serve.out" 2>>"$tmp/serve.err" </dev/null &
  server_pid=$!
  local port
  for port in $SMTP $IMAP $IMAPS; do
    for _ in $(seq 300); do
      kill -0 "$server_pid" 2>/dev/null || die "server exited: $(tail -5 "$tmp/serve.err")"
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue 2
      sleep 0.1
    done
    die "port $port not open after 30 s"
  done
}
start_server

finish() { # the closing line and exit status
  if [ "$failures" -gt 0 ]; then
    echo "$NAME: $failures check(s) failed; the server's log ends with:"
    tail -30 "$tmp/serve.err" | sed 's/^/    /'
    exit 1
  fi
  echo "$NAME: all checks passed"
  exit 0
}
