# shellcheck shell=bash disable=SC2034,SC2154 # the arrays are declared (associative) in bench/run
# bench/servers.sh: the two servers under test, each a private instance in the run's temporary folder.
# Sourced by bench/run; uses $TMP, $PY, $JAVA and the port variables it sets. Both instances listen on 127.0.0.1
# only, deliver bench.test mail to the Maildir of u@bench.test with fsync before the 250 reply, and relay every
# other domain to the smtp-sink on $SINK_PORT. Nothing outside $TMP is written; the system's own Postfix
# configuration (/etc/postfix) is never read or changed.

# --- Postfix ---------------------------------------------------------------------------------------------
# Own config_directory, queue_directory and data_directory; chroot off; virtual(8) Maildir delivery as nobody.
# cleanup(8) fsyncs the queue file before smtpd answers 250; virtual(8) fsyncs the Maildir file before the
# link into new/. Relay goes to [127.0.0.1]:$SINK_PORT with DNS lookups off.
postfix_setup() {
  local d=$TMP/postfix
  mkdir -p "$d/etc/sasl" "$d/spool" "$d/data" "$d/mail"
  chown postfix "$d/data"
  chown nobody:nogroup "$d/mail"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pfx.bench.test" \
    -keyout "$d/etc/key.pem" -out "$d/etc/cert.pem" >/dev/null 2>&1 || die "openssl failed"
  # i@bench.test is the IMAP scenarios' mailbox: delivered as the dovecot user, so Dovecot can serve it.
  printf 'u@bench.test bench.test/u/Maildir/\ni@bench.test bench.test/i/Maildir/\n' >"$d/etc/vmailbox"
  printf 'u@bench.test %s\ni@bench.test %s\n' "$(id -u nobody)" "$(id -u dovecot)" >"$d/etc/vuid"
  printf 'u@bench.test %s\ni@bench.test %s\n' "$(id -g nobody)" "$(id -g dovecot)" >"$d/etc/vgid"
  cat >"$d/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $d/spool
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
myhostname = pfx.bench.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
virtual_mailbox_domains = bench.test
virtual_mailbox_base = $d/mail
virtual_mailbox_maps = texthash:$d/etc/vmailbox
virtual_uid_maps = texthash:$d/etc/vuid
virtual_gid_maps = texthash:$d/etc/vgid
virtual_mailbox_limit = 0
message_size_limit = 52428800
smtp_dns_support_level = disabled
relayhost = [127.0.0.1]:$SINK_PORT
maillog_file = $d/maillog
maillog_file_prefixes = $d
alias_maps =
alias_database =
biff = no
smtpd_tls_cert_file = $d/etc/cert.pem
smtpd_tls_key_file = $d/etc/key.pem
smtpd_tls_security_level = may
cyrus_sasl_config_path = $d/etc/sasl
EOF
  local sub_opts="-o smtpd_tls_security_level=encrypt"
  if [ -n "$PFX_SASL" ]; then
    # Cyrus SASL with a private sasldb: the same PLAIN login Postwerk's submission port gets. Debian's Postfix
    # reads smtpd.conf from \$config_directory/sasl, so it lives there.
    echo bench-secret | saslpasswd2 -p -f "$d/etc/sasl/sasldb2" -c -u bench.test u || die "saslpasswd2 failed"
    chown root:postfix "$d/etc/sasl/sasldb2" && chmod 640 "$d/etc/sasl/sasldb2"
    printf 'pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN\nsasldb_path: %s\n' \
      "$d/etc/sasl/sasldb2" >"$d/etc/sasl/smtpd.conf"
    sub_opts="$sub_opts -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=yes"
  fi
  # A third smtpd for S7 hands every message to opendkim (a milter), which signs mail from sign.test; a milter
  # failure tempfails the message instead of passing it unsigned.
  cat >"$d/etc/master.cf" <<EOF
127.0.0.1:$PFX_SMTP inet n - n - - smtpd
127.0.0.1:$PFX_SUB inet n - n - - smtpd $sub_opts
127.0.0.1:$PFX_DKIM inet n - n - - smtpd -o smtpd_milters=inet:127.0.0.1:$MILTER_PORT -o milter_default_action=tempfail
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  MAILDIR[postfix]=$d/mail/bench.test/u/Maildir/new
  SMTP_PORT[postfix]=$PFX_SMTP
  DKIM_PORT[postfix]=$PFX_DKIM
  SUB_PORT[postfix]=$PFX_SUB
}

postfix_start() {
  local d=$TMP/postfix
  rm -f "$d/spool/pid/master.pid"       # never mistake a stopped master's pid for the new one
  # postfix(1) reports only to syslog unless stderr is a terminal: script(1) gives it one, so errors show.
  script -qec "postfix -c $d/etc check" /dev/null || die "postfix check failed"
  # S8, S9: in a mount namespace whose resolv.conf names the test DNS server (bench/filters.sh).
  script -qec "${PFX_WRAP:-} postfix -c $d/etc start" /dev/null >/dev/null || die "postfix start failed (see $d/maillog)"
  local pid=
  for _ in $(seq 100); do
    pid=$(tr -d ' \n' <"$d/spool/pid/master.pid" 2>/dev/null) && [ -n "$pid" ] && break
    sleep 0.1
  done
  [ -n "$pid" ] || die "postfix master did not start"
  ROOT_PID[postfix]=$pid
  wait_port "$PFX_SMTP" || die "postfix does not answer on $PFX_SMTP"
}

postfix_stop() {
  local d=$TMP/postfix pid=${ROOT_PID[postfix]:-}
  [ -n "$pid" ] || return 0
  local pids
  pids=$($PY bench/procstat.py pids "$pid" 2>/dev/null)
  postfix -c "$d/etc" stop >/dev/null 2>&1
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  for p in $pids; do kill -9 "$p" 2>/dev/null; done   # leftovers, by the process ids of this instance only
  ROOT_PID[postfix]=
}

# --- Postwerk --------------------------------------------------------------------------------------------
# The jar and its lib/ are copied into $TMP so a rebuild during the run cannot change what is measured.
# The start of each instance's configuration: names, and the smtp listener on PORT.
postwerk_toml_head() {
  cat <<EOF
hostname = "pw.bench.test"
data_dir = "data"
local_domains = ["bench.test"]
relay_networks = ["127.0.0.0/8"]

[[listener]]
role = "smtp"
address = "127.0.0.1"
port = $1

[rate_limits]
# Parity with the Postfix instance, which limits no rates (anvil's rate limits are off by default): the load
# clients send tens of thousands of messages from one address and one sender domain.
connections_per_ip = "off"
connections_per_network = "off"
messages_per_ip = "off"
recipients_per_ip = "off"
messages_per_network = "off"
recipients_per_network = "off"
messages_per_user = "off"
recipients_per_user = "off"
messages_per_sender_domain = "off"
recipients_per_sender_domain = "off"
EOF
}

postwerk_setup() {
  local d=$TMP/postwerk
  mkdir -p "$d"
  cp -r target/postwerk.jar target/lib "$d/" || die "no target/postwerk.jar"
  postwerk_toml_head "$PW_SMTP" >"$d/postwerk.toml"
  cat >>"$d/postwerk.toml" <<EOF

[[listener]]
role = "submission"
address = "127.0.0.1"
port = $PW_SUB

[[listener]]
role = "imaps"
address = "127.0.0.1"
port = $PW_IMAPS

[limits]
connections = 20000
connections_per_ip = 20000

[dns]
# A loopback port where nothing listens: every lookup fails at once, nothing leaves the machine.
servers = ["127.0.0.1:9"]
timeout = "1s"

[smtp]
postmaster = "u@bench.test"
# The load client logs in as u@ but sends as a@ (the same envelope for both servers).
sender_login_match = false

[auth]
# Parity with the Postfix instance, which checks nothing: no SPF, DKIM or DMARC (they cost DNS round trips
# that fail here, since no resolver runs). Turn them on to measure their price.
spf_verify = ${BENCH_AUTH_CHECKS:-false}
dkim_verify = ${BENCH_AUTH_CHECKS:-false}
dmarc = "${BENCH_DMARC:-off}"

[imap]
# I4 holds up to 10,000 sessions of one account (Dovecot's mail_max_userip_connections is raised alike).
connections_per_user = 20000

[queue]
# Postfix's default_destination_concurrency_limit, so both relay with up to 20 connections to the sink.
per_destination = 20

[[route]]
domain = "*"
host = "127.0.0.1"
port = $SINK_PORT
EOF
  echo bench-secret | "$JAVA" -jar "$d/postwerk.jar" user add u@bench.test --config "$d/postwerk.toml" >/dev/null \
    || die "postwerk user add failed"
  echo bench-secret | "$JAVA" -jar "$d/postwerk.jar" user add i@bench.test --config "$d/postwerk.toml" >/dev/null \
    || die "postwerk user add failed"
  # S7: the same RSA-2048 key as opendkim's, so Postwerk signs mail from sign.test (and only that domain).
  mkdir -p "$d/data/dkim/sign.test"
  install -m 600 "$TMP/dkim/bench.key" "$d/data/dkim/sign.test/bench.key"
  MAILDIR[postwerk]=$d/data/mail/bench.test/u/Maildir/new
  SMTP_PORT[postwerk]=$PW_SMTP
  DKIM_PORT[postwerk]=$PW_SMTP
  SUB_PORT[postwerk]=$PW_SUB
}

postwerk_start() { postwerk_launch postwerk "$PW_SMTP"; }
postwerk_stop() { postwerk_halt postwerk; }

# Starts the instance NAME (its folder $TMP/NAME, the jar of $TMP/postwerk) and waits for its smtp PORT.
postwerk_launch() {
  local name=$1 port=$2 d=$TMP/$1
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of JVM options
  # The launchers' options (scripts/jvm-options) and environment, with the ahead-of-time cache in $d/aot: the
  # run's first start makes it (its training run, `postwerk aot-train`), every start uses it, as an operator's
  # server does. BENCH_JVM_OPTIONS=off: the JVM's defaults; BENCH_AOT=off: no cache.
  local opts=''
  if [ "${BENCH_JVM_OPTIONS:-on}" != off ]; then
    opts=$(scripts/jvm-options "$JAVA_HOME" "$TMP/postwerk/postwerk.jar" \
      "$([ "${BENCH_AOT:-on}" = off ] || echo "$d/aot")")
  fi
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} "$JAVA" $opts ${BENCH_JAVA_OPTS:-} -jar "$TMP/postwerk/postwerk.jar" serve --config "$d/postwerk.toml" \
    >>"$d/server.log" 2>&1 &
  ROOT_PID[$name]=$!
  wait_port "$port" && kill -0 "${ROOT_PID[$name]}" 2>/dev/null \
    || die "postwerk ($name) does not answer on $port: $(tail -3 "$d/server.log")"
}

postwerk_halt() {
  local pid=${ROOT_PID[$1]:-}
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  ROOT_PID[$1]=
}

# --- DKIM signing for S7: one RSA-2048 key for domain sign.test, selector "bench" ---------------------------
# Postwerk signs with it itself; Postfix through opendkim (Debian's package), the usual way to sign with Postfix.
dkim_key() {
  mkdir -p "$TMP/dkim"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/dkim/bench.key" 2>/dev/null \
    || die "openssl genpkey failed"
  chmod 600 "$TMP/dkim/bench.key"
}

# opendkim in the foreground (so $! is its pid), signing relaxed/relaxed like Postwerk, for mail from
# sign.test; it learns no keys from DNS (it only signs).
milter_start() {
  cat >"$TMP/dkim/opendkim.conf" <<EOF
Syslog no
Mode s
Domain sign.test
Selector bench
KeyFile $TMP/dkim/bench.key
Canonicalization relaxed/relaxed
SignatureAlgorithm rsa-sha256
OversignHeaders From
InternalHosts 127.0.0.1
Socket inet:$MILTER_PORT@127.0.0.1
PidFile $TMP/dkim/opendkim.pid
RequireSafeKeys no
EOF
  timeout 3600 opendkim -f -x "$TMP/dkim/opendkim.conf" >"$TMP/dkim/opendkim.log" 2>&1 &
  MILTER_PID=$!
  wait_port "$MILTER_PORT" || die "opendkim does not listen on $MILTER_PORT: $(tail -3 "$TMP/dkim/opendkim.log")"
}

milter_stop() {
  [ -n "${MILTER_PID:-}" ] || return 0
  kill "$MILTER_PID" 2>/dev/null
  wait "$MILTER_PID" 2>/dev/null
  MILTER_PID=
}

# --- smtp-sink: the remote end of S2 ---------------------------------------------------------------------
# -c prints a running "mesg=N" counter; bench/wait.py reads it. Bounded by timeout(1) in case we are killed.
sink_start() {
  timeout 3600 smtp-sink -c -u nobody "127.0.0.1:$SINK_PORT" 1024 >"$TMP/sink.out" 2>"$TMP/sink.err" &
  SINK_PID=$!
  wait_port "$SINK_PORT" || die "smtp-sink does not listen on $SINK_PORT"
}

sink_stop() {
  [ -n "${SINK_PID:-}" ] || return 0
  kill "$SINK_PID" 2>/dev/null
  wait "$SINK_PID" 2>/dev/null
  SINK_PID=
}

sink_count() {
  tr '\r' '\n' <"$TMP/sink.out" | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 | grep . || echo 0
}

# Waits (at most 30 s) until something accepts connections on 127.0.0.1:$1.
wait_port() {
  for _ in $(seq 1500); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.02
  done
  return 1
}

# --- Dovecot: the IMAP peer of I1-I5 (docs/performance.md, "IMAP") ---------------------------------------------
# Debian's dovecot-imapd as a private instance: own configuration (dovecot.conf in $TMP/dovecot, nothing from
# /etc/dovecot), base_dir, state_dir and log; imaps only, on 127.0.0.1:$DC_IMAPS. It serves i@bench.test from
# the Maildir that Postfix delivers that address to (as the dovecot user, virtual_uid_maps), so the same SMTP
# delivery feeds I4 and I5 as Postwerk's own does. mail_fsync = always: message files and index logs are
# fsync'd before the OK, the durability Postwerk's journal gives. Logins take a PLAIN password from a
# passwd-file (login cost is not measured). imap-login runs in its high-performance mode (one process per
# core, many clients each) and up to 12,000 imap processes may run, so I4 can hold 10,000 sessions: without
# that, Dovecot's defaults stop at 100 logins at once.
dovecot_setup() {
  local d=$TMP/dovecot box=$TMP/postfix/mail/bench.test/i/Maildir
  mkdir -p "$d/run" "$d/state" "$d/home/i"
  chown dovecot:dovecot "$d/home/i"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=dc.bench.test" \
    -keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1 || die "openssl failed"
  echo "i@bench.test:{PLAIN}bench-secret" >"$d/passwd"
  chmod 644 "$d/passwd"
  cat >"$d/dovecot.conf" <<DC
protocols = imap
listen = 127.0.0.1
base_dir = $d/run
state_dir = $d/state
instance_name = dovecot-bench
log_path = $d/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = $(id -u dovecot)
mail_uid = dovecot
mail_gid = dovecot
mail_location = maildir:$box
mail_fsync = always
ssl = required
ssl_cert = <$d/cert.pem
ssl_key = <$d/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN $d/passwd
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$d/home/i
}
protocol imap {
  mail_max_userip_connections = 20000
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DC_IMAPS
    ssl = yes
  }
  service_count = 0
  process_min_avail = $(nproc)
  client_limit = 25000
  vsz_limit = 2G
}
service imap {
  process_limit = 12000
}
service anvil {
  client_limit = 30000
}
service auth {
  client_limit = 30000
}
default_client_limit = 30000
DC
}

dovecot_start() {
  local d=$TMP/dovecot
  # Each imap process watches its folder with an inotify instance; beyond the kernel's per-user default of 128
  # IDLE falls back to looking every 30 s (mailbox_idle_check_interval). Dovecot's documentation says to raise
  # it for many IDLE sessions; the old value comes back when the run ends.
  if [ -z "${INOTIFY_OLD:-}" ]; then
    INOTIFY_OLD=$(cat /proc/sys/fs/inotify/max_user_instances)
    echo 20000 >/proc/sys/fs/inotify/max_user_instances || log "cannot raise fs.inotify.max_user_instances"
  fi
  # Dovecot's master checks its fd limit against the service limits above; root may raise its own.
  ( ulimit -Hn 200000 && ulimit -n 200000; exec timeout 3600 dovecot -F -c "$d/dovecot.conf" ) >>"$d/stderr.log" 2>&1 &
  local tpid=$! pid=
  for _ in $(seq 100); do
    pid=$(pgrep -P "$tpid" -x dovecot) && break
    sleep 0.1
  done
  [ -n "$pid" ] || die "dovecot did not start: $(tail -3 "$d/stderr.log" "$d/dovecot.log" 2>/dev/null)"
  ROOT_PID[dovecot]=$pid
  DOVECOT_TIMEOUT_PID=$tpid
  wait_port "$DC_IMAPS" || die "dovecot does not answer on $DC_IMAPS: $(tail -3 "$d/dovecot.log")"
}

dovecot_stop() {
  local pid=${ROOT_PID[dovecot]:-}
  [ -n "$pid" ] || return 0
  local pids
  pids=$($PY bench/procstat.py pids "$pid" 2>/dev/null)
  kill "$pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  for p in $pids; do kill -9 "$p" 2>/dev/null; done   # leftovers, by the process ids of this instance only
  wait "${DOVECOT_TIMEOUT_PID:-}" 2>/dev/null
  ROOT_PID[dovecot]=
}

# The same 10,000-message Maildir for both: generated once, copied into Postwerk's store for i@bench.test and
# into the Maildir Dovecot serves (owned by dovecot). Before the servers start.
imap_mailbox() {
  local src=$TMP/imap-maildir pfx=$TMP/postfix/mail/bench.test
  $PY bench/mkmaildir.py "$src" "$IMAP_N" || die "mkmaildir failed"
  mkdir -p "$pfx/i/Maildir" "$TMP/postwerk/data/mail/bench.test/i/Maildir"
  chown nobody:nogroup "$pfx"
  chmod 755 "$pfx"
  cp -a "$src/." "$pfx/i/Maildir/"
  chown -R dovecot:dovecot "$pfx/i"
  cp -a "$src/." "$TMP/postwerk/data/mail/bench.test/i/Maildir/"
}

inotify_restore() {
  [ -n "${INOTIFY_OLD:-}" ] && echo "$INOTIFY_OLD" >/proc/sys/fs/inotify/max_user_instances
  INOTIFY_OLD=
}
