# shellcheck shell=bash disable=SC2034,SC2154 # the arrays and ports are declared in bench/run
# bench/filters.sh: what S8 and S9 add around the two servers, started only when one of them is asked for.
# Sourced by bench/run after bench/servers.sh. Everything lives in $TMP/filters and is stopped by process id.
#
# - One DNS server (bench/dns.py) on $DNS_ADDR port 53, a loopback address of its own, serving the test zone of
#   bench/authmsg.py and NXDOMAIN for every other name. Postwerk asks it through `[dns] servers`; opendkim
#   through `Nameservers`; rspamd through its `dns.nameserver` option; policyd-spf and opendmarc know only the
#   system resolver, so they (and the whole Postfix instance) run in a private mount namespace whose
#   /etc/resolv.conf names $DNS_ADDR ($IN_NS). The machine's resolver is never asked.
# - S8, Postfix: postfix-policyd-spf-python as a spawn(8) policy service, opendkim (verify mode) and opendmarc as
#   milters, on a fourth smtpd; Postwerk: a second instance ("postwerk-auth") with its own SPF, DKIM and DMARC
#   checks on, since `[auth]` is server-wide and S1 keeps them off.
# - S9: rspamd's proxy worker in milter mode (scanning itself, no redis), for a fifth smtpd of Postfix and a
#   listener of the main Postwerk instance with `milters = ["rspamd"]` (when the build knows `[[milter]]`).

declare -A FILTER_PID

# The zone, the signed message and the DNS server; then a resolv.conf for the namespace.
dns_start() {
  local d=$TMP/filters
  mkdir -p "$d"
  $PY bench/authmsg.py "$d" || die "bench/authmsg.py failed"
  timeout 3600 $PY bench/dns.py "$DNS_ADDR" "$d/zone" >"$d/dns.log" 2>&1 &
  FILTER_PID[dns]=$!
  printf 'nameserver %s\noptions attempts:1 timeout:2\n' "$DNS_ADDR" >"$d/resolv.conf"
  in_ns_script
  for _ in $(seq 50); do
    $PY - "$DNS_ADDR" 2>/dev/null <<'PY' && return 0
import socket, struct, sys
q = struct.pack("!HHHHHH", 7, 0x0100, 1, 0, 0, 0) + b"\x04auth\x04test\x00" + struct.pack("!HH", 16, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2); s.sendto(q, (sys.argv[1], 53))
sys.exit(0 if s.recv(4096)[:2] == q[:2] else 1)
PY
    sleep 0.1
  done
  die "the test DNS server does not answer on $DNS_ADDR: $(tail -3 "$d/dns.log")"
}

# $IN_NS COMMAND...: runs COMMAND in a private mount namespace where /etc/resolv.conf names the test DNS server
# (unshare and sh exec into it, so $! is the command's pid). A script, so postfix_start can run it under script(1).
in_ns_script() {
  cat >"$TMP/filters/in-ns" <<EOF
#!/bin/sh
exec unshare -m --propagation private sh -c 'mount --bind "\$0" /etc/resolv.conf && exec "\$@"' "$TMP/filters/resolv.conf" "\$@"
EOF
  chmod 755 "$TMP/filters/in-ns"
  IN_NS=$TMP/filters/in-ns
}

# opendkim, verifying (no signing: no key), and opendmarc: Postfix's milters in S8. Both would skip mail from
# 127.0.0.1 as "internal" by default; here the load comes from there, so the internal list names a test address.
auth_milters_start() {
  local d=$TMP/filters
  echo 192.0.2.1 >"$d/internal"
  # opendkim resolves with libunbound, forwarding to the test DNS server. (libunbound answers every name under
  # test. with NXDOMAIN itself, RFC 6761, hence the sender domain auth.example; and a ResolverConfiguration file
  # instead of Nameservers crashes opendkim under load: its threads parse it at once.)
  cat >"$d/opendkim.conf" <<EOF
Syslog no
Mode v
AuthservID pfx.bench.test
InternalHosts $d/internal
Nameservers $DNS_ADDR
Socket inet:$DKIMV_PORT@127.0.0.1
PidFile $d/opendkim.pid
EOF
  "$IN_NS" timeout 3600 opendkim -f -x "$d/opendkim.conf" >"$d/opendkim.log" 2>&1 &
  FILTER_PID[opendkim]=$!
  cat >"$d/opendmarc.conf" <<EOF
Syslog false
AuthservID pfx.bench.test
TrustedAuthservIDs pfx.bench.test
IgnoreHosts $d/internal
SPFSelfValidate true
Socket inet:$DMARC_PORT@127.0.0.1
PidFile $d/opendmarc.pid
EOF
  "$IN_NS" timeout 3600 opendmarc -f -c "$d/opendmarc.conf" >"$d/opendmarc.log" 2>&1 &
  FILTER_PID[opendmarc]=$!
  wait_port "$DKIMV_PORT" || die "opendkim (verify) does not listen on $DKIMV_PORT: $(tail -3 "$d/opendkim.log")"
  wait_port "$DMARC_PORT" || die "opendmarc does not listen on $DMARC_PORT: $(tail -3 "$d/opendmarc.log")"
}

# policyd-spf's configuration: results as an Authentication-Results field (for opendmarc and the check), only a
# hard fail refused; its default skips 127.0.0.0/8, so the skip list names a test address instead.
policyd_spf_conf() {
  cat >"$TMP/filters/policyd-spf.conf" <<EOF
debugLevel = 1
TestOnly = 1
HELO_reject = Fail
Mail_From_reject = Fail
PermError_reject = False
TempError_Defer = False
skip_addresses = 192.0.2.1/32
Header_Type = AR
Authserv_Id = pfx.bench.test
EOF
}

# The master.cf lines of S8 and S9, added to the run's Postfix before it starts.
postfix_filter_services() {
  local pspf=$TMP/filters/policyd-spf.conf
  policyd_spf_conf
  cat >>"$TMP/postfix/etc/master.cf" <<EOF
127.0.0.1:$PFX_AUTH inet n - n - - smtpd -o smtpd_recipient_restrictions=check_policy_service,unix:private/policyd-spf -o smtpd_milters=inet:127.0.0.1:$DKIMV_PORT,inet:127.0.0.1:$DMARC_PORT -o milter_default_action=tempfail
policyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf $pspf
127.0.0.1:$PFX_RSPAMD inet n - n - - smtpd -o smtpd_milters=inet:127.0.0.1:$RSPAMD_PORT -o milter_default_action=tempfail
EOF
}

# rspamd's own configuration tree is Debian's (/etc/rspamd) with a local folder of ours: the proxy worker in
# milter mode scans itself (self_scan), one process per core, on $RSPAMD_PORT; the normal, controller and fuzzy
# workers are off; DNS is the test server; no redis (the modules that need it stay off); every message gets
# rspamd's result header, also from 127.0.0.1 (the check before the rounds reads it).
rspamd_start() {
  local d=$TMP/filters/rspamd
  mkdir -p "$d/local.d" "$d/override.d" "$d/db" "$d/run"
  chown -R _rspamd:_rspamd "$d/db" "$d/run" 2>/dev/null
  cat >"$d/override.d/worker-proxy.inc" <<EOF
bind_socket = "127.0.0.1:$RSPAMD_PORT";
milter = yes;
timeout = 120s;
upstream "local" { default = yes; self_scan = yes; }
count = $(nproc);
EOF
  echo 'enabled = false;' >"$d/override.d/worker-normal.inc"
  echo 'enabled = false;' >"$d/override.d/worker-controller.inc"
  echo 'enabled = false;' >"$d/override.d/worker-fuzzy.inc"
  echo 'enabled = false;' >"$d/override.d/fuzzy_check.conf"   # its servers are on the internet
  cat >"$d/local.d/options.inc" <<EOF
dns { nameserver = ["$DNS_ADDR:53"]; }
pidfile = "$d/run/rspamd.pid";
EOF
  printf 'type = "file";\nfilename = "%s/rspamd.log";\nlevel = "notice";\n' "$d" >"$d/local.d/logging.inc"
  printf 'extended_spam_headers = true;\nskip_local = false;\nskip_authenticated = false;\n' \
    >"$d/local.d/milter_headers.conf"
  "$IN_NS" timeout 3600 rspamd -f -u _rspamd -g _rspamd -c /etc/rspamd/rspamd.conf \
    --var LOCAL_CONFDIR="$d" --var DBDIR="$d/db" --var RUNDIR="$d/run" >"$d/stdout.log" 2>&1 &
  FILTER_PID[rspamd]=$!
}

# rspamd compiles its rules at start: on a busy 2-core machine that takes minutes, so the run starts it first and
# waits for it (at most 10 minutes) only before S9's check.
rspamd_wait() {
  local i
  for i in $(seq 20); do wait_port "$RSPAMD_PORT" && return 0; kill -0 "${FILTER_PID[rspamd]}" 2>/dev/null || break; done
  log "rspamd does not listen on $RSPAMD_PORT: $(tail -3 "$TMP/filters/rspamd/stdout.log" "$TMP/filters/rspamd/rspamd.log" 2>/dev/null)"
  return 1
}

# The S8 Postwerk: the main instance's jar, its own data folder and one smtp listener, with SPF, DKIM and DMARC
# checks on, asking the test DNS server.
pwauth_setup() {
  local d=$TMP/pwauth
  mkdir -p "$d"
  postwerk_toml_head "$PW_AUTH" >"$d/postwerk.toml"
  cat >>"$d/postwerk.toml" <<EOF

[limits]
connections = 20000
connections_per_ip = 20000

[dns]
servers = ["$DNS_ADDR:53"]
timeout = "2s"

[smtp]
postmaster = "u@bench.test"

[auth]
spf_verify = true
dkim_verify = true
dmarc = "policy"
EOF
  echo bench-secret | "$JAVA" -jar "$TMP/postwerk/postwerk.jar" user add u@bench.test --config "$d/postwerk.toml" \
    >/dev/null || die "postwerk user add (S8 instance) failed"
  MAILDIR[pwauth]=$d/data/mail/bench.test/u/Maildir/new
}

pwauth_start() { postwerk_launch pwauth "$PW_AUTH"; }

# Whether this Postwerk build knows [[milter]] (S9): its own check-config on a configuration that has one.
postwerk_knows_milter() {
  local d=$TMP/milter-probe
  mkdir -p "$d"
  cat >"$d/postwerk.toml" <<EOF
hostname = "pw.bench.test"
data_dir = "data"
local_domains = ["bench.test"]

[[milter]]
name = "rspamd"
address = "127.0.0.1:$RSPAMD_PORT"
default_action = "tempfail"
EOF
  "$JAVA" -jar "$TMP/postwerk/postwerk.jar" check-config --config "$d/postwerk.toml" >"$d/out" 2>&1
}

# The main instance's S9 listener and milter, appended to its configuration before it starts.
postwerk_milter_config() {
  cat >>"$TMP/postwerk/postwerk.toml" <<EOF

[[milter]]
name = "rspamd"
address = "127.0.0.1:$RSPAMD_PORT"
default_action = "tempfail"

[[listener]]
role = "smtp"
address = "127.0.0.1"
port = $PW_MILTER
milters = ["rspamd"]
EOF
}

filters_stop() {
  local k pid
  for k in rspamd opendmarc opendkim dns; do
    pid=${FILTER_PID[$k]:-}
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    FILTER_PID[$k]=
  done
  postwerk_halt pwauth
}

# Before the servers start: DNS, the S8 milters and Postwerk instance, rspamd and the main Postwerk's S9 listener.
# What cannot run makes its scenario n/a (FILTER_NA), for one server or both.
declare -A FILTER_NA
filters_setup() {
  log "S8/S9: test DNS server $DNS_ADDR:53; postfix $PFX_AUTH/$PFX_RSPAMD, opendkim $DKIMV_PORT, opendmarc $DMARC_PORT, rspamd $RSPAMD_PORT, postwerk $PW_AUTH/$PW_MILTER"
  dns_start
  postfix_filter_services
  PFX_WRAP=$IN_NS   # postfix_start: the whole Postfix instance sees the test DNS server
  if [ -n "$WANT_S8" ]; then
    auth_milters_start
    pwauth_setup
  fi
  if [ -n "$WANT_S9" ]; then
    rspamd_start
    if ! postwerk_knows_milter; then
      FILTER_NA[S9_postwerk]="this Postwerk build has no milter client: $(grep -m1 -i milter "$TMP/milter-probe/out")"
    else
      postwerk_milter_config
    fi
  fi
  FILTER_PORT=([S8_postfix]=$PFX_AUTH [S8_postwerk]=$PW_AUTH [S9_postfix]=$PFX_RSPAMD [S9_postwerk]=$PW_MILTER)
  FILTER_BOX=([S8_postfix]=postfix [S8_postwerk]=pwauth [S9_postfix]=postfix [S9_postwerk]=postwerk)
}
declare -A FILTER_PORT FILTER_BOX
