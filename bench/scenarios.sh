# shellcheck shell=bash disable=SC2034 # MEASURE_EXTRA is read by measure() in bench/run
# bench/scenarios.sh: one function per scenario, called as scenario_Sn SERVER ROUND by bench/run, which
# alternates the servers round after round. Each records its figures with `record`; `measure` adds the server's
# CPU seconds and peak RSS for the round. docs/performance.md describes what each one measures.

declare -A RELAY_NA SIGN_NA

# Not measured: fills caches and JIT-compiles Postwerk's hot paths, and lets Postfix start its daemons; then
# checks that relay works (Postwerk's relay arrives with the queue: without it S2 is recorded as n/a).
warm_up() {
  local srv
  for srv in "${SERVERS[@]}"; do
    log "warm-up: $srv ($WARMUP messages, 50 over STARTTLS, $((WARMUP / 2)) relayed)"
    clear_maildir "$srv"
    local i
    for i in $(seq 0 5000 $((WARMUP - 1))); do   # in pieces, so no piece runs into its timeout on a slow machine
      timeout 300 smtp-source -s 20 -m "$(( WARMUP - i < 5000 ? WARMUP - i : 5000 ))" -l 4096 -f a@bench.test \
        -t u@bench.test "127.0.0.1:${SMTP_PORT[$srv]}" || die "warm-up of $srv failed"
    done
    $PY bench/wait.py dir "${MAILDIR[$srv]}" "$WARMUP" 120 >/dev/null || die "warm-up of $srv: mail not delivered"
    # shellcheck disable=SC2046 # s6_auth prints zero or two words
    load load --port "${SUB_PORT[$srv]}" --sessions 5 --count 50 --size 4096 --starttls $(s6_auth "$srv") >/dev/null
    local base out
    base=$(sink_count)
    if ! out=$(timeout 30 smtp-source -m 1 -f a@bench.test -t x@remote.test "127.0.0.1:${SMTP_PORT[$srv]}" 2>&1); then
      RELAY_NA[$srv]="relay refused: ${out##*: }"
    elif ! $PY bench/wait.py sink "$TMP/sink.out" "$((base + 1))" 30 >/dev/null; then
      RELAY_NA[$srv]="relayed mail did not reach the sink within 30 s"
    fi
    if [ -n "${RELAY_NA[$srv]:-}" ]; then
      log "$srv: S2 n/a: ${RELAY_NA[$srv]}"
    else   # the relay path warms up too: half as many messages through the queue to the sink
      base=$(sink_count)
      timeout 300 smtp-source -s 20 -m "$((WARMUP / 2))" -l 4096 -f a@bench.test -t x@remote.test \
        "127.0.0.1:${SMTP_PORT[$srv]}" || die "relay warm-up of $srv failed"
      $PY bench/wait.py sink "$TMP/sink.out" "$((base + WARMUP / 2))" 120 >/dev/null \
        || die "relay warm-up of $srv: mail did not reach the sink"
    fi
    sign_check "$srv"
  done
  clear_maildir postfix; clear_maildir postwerk
}

# S1 inbound to Maildir: smtp-source, 20 sessions, 4 KB, one recipient, one connection per message.
scenario_S1() { measure S1 "$1" "$2" s1_run; }
s1_run() { source_run "$1" "$2" "$3" 20 "$S1_N" 4096 u@bench.test; }

# W1 cold start: the server is stopped and started again (Postwerk: with its ahead-of-time cache, which the run
# so far trained; BENCH_AOT=off for none), the time until it listens is taken, then W1_N messages go in as in
# S1, 1,000 at a time, each thousand timed. to90_msgs: messages sent until a thousand reaches 90% of this
# server's S1 median in this run (run S1 first), or of its best thousand without one.
scenario_W1() {
  local srv=$1 round=$2 t0 t1 i a b rates=() ref n=0 to90=''
  "${srv}_stop"; t0=$(now); "${srv}_start"; t1=$(now)
  record W1 "$srv" "$round" start_ms "$(calc "($t1 - $t0) * 1000" 0)"
  clear_maildir "$srv"
  for i in $(seq $((W1_N / 1000))); do
    a=$(now)
    timeout 300 smtp-source -s 20 -m 1000 -l 4096 -f a@bench.test -t u@bench.test "127.0.0.1:${SMTP_PORT[$srv]}" \
      || { record W1 "$srv" "$round" error "smtp-source failed"; return; }
    b=$(now)
    rates+=("$(calc "1000 / ($b - $a)" 1)")
  done
  ref=$(awk -F'\t' -v s="$srv" '$1 == "S1" && $2 == s && $4 == "accepted_per_s" { print $5 }' "$RESULTS" | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
  [ -n "$ref" ] || ref=$(printf '%s\n' "${rates[@]}" | sort -n | tail -1)
  for i in "${!rates[@]}"; do
    n=$(( (i + 1) * 1000 ))
    if [ -z "$to90" ] && awk "BEGIN { exit !(${rates[$i]} >= 0.9 * $ref) }"; then to90=$n; fi
  done
  record W1 "$srv" "$round" to90_msgs "${to90:-$((W1_N + 1000))}"
  record W1 "$srv" "$round" first_per_s "${rates[0]}"
  record W1 "$srv" "$round" fifth_per_s "${rates[4]:-0}"
  record W1 "$srv" "$round" tenth_per_s "${rates[9]:-0}"
  record W1 "$srv" "$round" note "per 1,000: ${rates[*]} (S1 reference $ref)"
  $PY bench/wait.py dir "${MAILDIR[$srv]}" "$W1_N" 300 >/dev/null || record W1 "$srv" "$round" error "not all delivered"
}

# S2 relay: the same load to a remote domain, relayed through the server's queue to smtp-sink.
scenario_S2() {
  if [ -n "${RELAY_NA[$1]:-}" ]; then
    record S2 "$1" "$2" error "n/a: ${RELAY_NA[$1]}"
    return
  fi
  measure S2 "$1" "$2" s2_run
}
s2_run() { source_run "$1" "$2" "$3" 20 "$S2_N" 4096 x@remote.test; }

# S3 latency: one session, sequential 4 KB transactions; MAIL FROM to the 250 after the dot.
scenario_S3() { measure S3 "$1" "$2" s3_run; }
s3_run() {
  local scen=$1 srv=$2 round=$3 out
  out=$(load latency --port "${SMTP_PORT[$srv]}" --count "$S3_N" --size 4096) \
    || { record "$scen" "$srv" "$round" error "latency client failed"; return; }
  record "$scen" "$srv" "$round" p50_ms "$(json_field "$out" p50_ms)"
  record "$scen" "$srv" "$round" p99_ms "$(json_field "$out" p99_ms)"
  $PY bench/wait.py dir "${MAILDIR[$srv]}" "$S3_N" 120 >/dev/null   # let delivery finish before the next round
}

# S4 large messages: 1 MB (4 sessions) and 10 MB (2 sessions), separately measured.
scenario_S4() {
  measure S4-1MB "$1" "$2" s4_1m
  measure S4-10MB "$1" "$2" s4_10m
}
s4_1m() { source_run "$1" "$2" "$3" 4 "$S4_1M" 1048576 u@bench.test; }
s4_10m() { source_run "$1" "$2" "$3" 2 "$S4_10M" 10485760 u@bench.test; }

# S5 idle connections: N sessions opened (greeting + EHLO) and held; memory per held session; one new full
# transaction while they are held must still be served.
# Each round starts with a freshly started server, so the memory growth is the held sessions' and not hidden in
# heap (or processes) left over from earlier scenarios.
scenario_S5() {
  "${1}_stop"; "${1}_start"
  measure S5 "$1" "$2" s5_run
}
s5_run() {
  local scen=$1 srv=$2 round=$3 mem0 mem1 out held
  rm -f "$TMP/s5.ready" "$TMP/s5.release"
  mem0=$($PY bench/procstat.py mem "${ROOT_PID[$srv]}")
  load idle --port "${SMTP_PORT[$srv]}" --count "$S5_N" --batch 500 --ready "$TMP/s5.ready" \
    --release "$TMP/s5.release" --hold-max 120 >"$TMP/s5.json" &
  IDLE_PID=$!
  for _ in $(seq 3000); do [ -f "$TMP/s5.ready" ] && break; kill -0 "$IDLE_PID" 2>/dev/null || break; sleep 0.1; done
  sleep 1
  mem1=$($PY bench/procstat.py mem "${ROOT_PID[$srv]}")
  touch "$TMP/s5.release"
  wait "$IDLE_PID"; IDLE_PID=
  out=$(cat "$TMP/s5.json")
  held=$(json_field "$out" held)
  [ -n "$held" ] || { record "$scen" "$srv" "$round" error "idle client failed"; return; }
  record "$scen" "$srv" "$round" held "$held"
  record "$scen" "$srv" "$round" alive_at_end "$(json_field "$out" alive_at_end)"
  record "$scen" "$srv" "$round" open_s "$(json_field "$out" open_seconds)"
  if [ "$held" -gt 0 ]; then
    record "$scen" "$srv" "$round" rss_per_conn_kb \
      "$(calc "($(json_field "$mem1" rss_kb) - $(json_field "$mem0" rss_kb)) / $held" 1)"
    record "$scen" "$srv" "$round" pss_per_conn_kb \
      "$(calc "($(json_field "$mem1" pss_kb) - $(json_field "$mem0" pss_kb)) / $held" 1)"
  fi
  if [ -z "$(json_field "$out" probe_error)" ]; then
    record "$scen" "$srv" "$round" probe_ms "$(json_field "$out" probe_ms)"
    record "$scen" "$srv" "$round" probe_ok 1
  else
    record "$scen" "$srv" "$round" probe_ok 0
    record "$scen" "$srv" "$round" note "new session while held not served: $(json_field "$out" probe_error)"
  fi
  [ -n "$(json_field "$out" first_error)" ] && record "$scen" "$srv" "$round" note \
    "$(( $(json_field "$out" failed) )) of $(json_field "$out" attempted) not served: $(json_field "$out" first_error)"
  return 0
}

# S6 TLS: S1 over STARTTLS (+ AUTH PLAIN) on the submission port, one connection (and handshake) per message.
s6_auth() {
  if [ "$1" = postwerk ] || [ -n "$PFX_SASL" ]; then echo "--auth u@bench.test:bench-secret"; fi
}
scenario_S6() { measure S6 "$1" "$2" s6_run; }
s6_run() {
  local scen=$1 srv=$2 round=$3 out t0 t2
  t0=$(now)
  # shellcheck disable=SC2046 # s6_auth prints zero or two words
  out=$(load load --port "${SUB_PORT[$srv]}" --sessions 20 --count "$S6_N" --size 4096 --starttls \
    $(s6_auth "$srv")) || { record "$scen" "$srv" "$round" error "load client failed"; return; }
  load_delivered "$scen" "$srv" "$round" "$out" "${MAILDIR[$srv]}" "$S6_N" "$t0"
}

# After `SmtpLoad load`: its accepted msg/s, then the wait until all N are in MAILDIR, counted from the client's
# first connection (a loaded machine takes seconds to start its JVM; T0, taken before, is the fallback).
load_delivered() {   # scen srv round json maildir n t0
  local scen=$1 srv=$2 round=$3 out=$4 t2 t0
  t0=$(json_field "$4" start); t0=${t0:-$7}
  if [ "$(json_field "$out" failed)" != 0 ]; then
    record "$scen" "$srv" "$round" error "$(json_field "$out" failed) failed: $(json_field "$out" errors)"
    return 1
  fi
  record "$scen" "$srv" "$round" accepted_per_s "$(json_field "$out" msgs_per_s)"
  t2=$($PY bench/wait.py dir "$5" "$6" 300) \
    || { record "$scen" "$srv" "$round" error "not all delivered within 300 s"; return 1; }
  record "$scen" "$srv" "$round" delivered_per_s "$(calc "$6 / ($t2 - $t0)" 1)"
  record "$scen" "$srv" "$round" delivered_s "$(calc "$t2 - $t0" 2)"
}

# S7 checks, before the run, that a message from sign.test arrives signed (d=sign.test, into the Maildir); then
# the signing path warms up like the relay path.
sign_check() {
  local srv=$1 f base
  clear_maildir "$srv"
  timeout 30 smtp-source -m 1 -f a@sign.test -t u@bench.test "127.0.0.1:${DKIM_PORT[$srv]}" >/dev/null 2>&1
  if ! $PY bench/wait.py dir "${MAILDIR[$srv]}" 1 30 >/dev/null; then
    SIGN_NA[$srv]="a message from sign.test was not delivered"
  else
    f=$(find "${MAILDIR[$srv]}" -type f | head -1)
    grep -q '^DKIM-Signature:' "$f" && grep -q 'd=sign.test' "$f" || SIGN_NA[$srv]="a message from sign.test arrived unsigned"
  fi
  if [ -n "${SIGN_NA[$srv]:-}" ] || [ -n "${RELAY_NA[$srv]:-}" ]; then
    log "$srv: S7 n/a: ${SIGN_NA[$srv]:-${RELAY_NA[$srv]}}"
    return 0
  fi
  base=$(sink_count)
  timeout 300 smtp-source -s 20 -m "$((WARMUP / 2))" -l 4096 -f a@sign.test -t x@remote.test \
    "127.0.0.1:${DKIM_PORT[$srv]}" || die "signing warm-up of $srv failed"
  $PY bench/wait.py sink "$TMP/sink.out" "$((base + WARMUP / 2))" 120 >/dev/null \
    || die "signing warm-up of $srv: mail did not reach the sink"
}

# S7 DKIM signing: S2 with every message signed (RSA-2048, relaxed/relaxed): Postwerk itself, Postfix through
# opendkim as a milter on a third smtpd port (opendkim's CPU and memory count as Postfix's).
scenario_S7() {
  if [ -n "${SIGN_NA[$1]:-}${RELAY_NA[$1]:-}" ]; then
    record S7 "$1" "$2" error "n/a: ${SIGN_NA[$1]:-${RELAY_NA[$1]}}"
    return
  fi
  MEASURE_EXTRA=$MILTER_PID
  measure S7 "$1" "$2" s7_run
  MEASURE_EXTRA=
}
s7_run() { source_run "$1" "$2" "$3" 20 "$S2_N" 4096 x@remote.test a@sign.test "${DKIM_PORT[$2]}"; }

# --- S8, S9: mail checks and a milter (bench/filters.sh sets them up) -----------------------------------------
# One message through each server's S8 or S9 port must arrive in the inbox with what the scenario is about
# (S8: dkim=pass, spf=pass and dmarc=pass in Authentication-Results; S9: rspamd's X-Spamd-Result), else the
# scenario is n/a for that server with the reason. Then that path warms up: Postwerk with WARMUP/2 messages for
# S8 and WARMUP/10 for S9 (rspamd takes most of each message's time there) for its JIT, Postfix with WARMUP/40
# (it has no JIT: its processes start, the milters connect, caches fill).
filters_warm_up() {
  local scen srv
  for scen in S8 S9; do
    case ",$ONLY," in *,$scen,*) ;; *) continue ;; esac
    if [ "$scen" = S9 ] && ! rspamd_wait; then
      FILTER_NA[S9_postfix]="rspamd did not start"; FILTER_NA[S9_postwerk]="rspamd did not start"
    fi
    for srv in "${SERVERS[@]}"; do
      [ -z "${FILTER_NA[${scen}_$srv]:-}" ] || { log "$srv: $scen n/a: ${FILTER_NA[${scen}_$srv]}"; continue; }
      filter_check "$scen" "$srv"
      [ -z "${FILTER_NA[${scen}_$srv]:-}" ] || { log "$srv: $scen n/a: ${FILTER_NA[${scen}_$srv]}"; continue; }
      local n=$((WARMUP / 2)) box=${FILTER_BOX[${scen}_$srv]}
      [ "$scen" = S8 ] || n=$((WARMUP / 10))
      [ "$srv" = postwerk ] || n=$((WARMUP / 40))
      log "warm-up: $srv, $scen path ($n messages)"
      clear_maildir "$box"
      filter_load "$scen" "$srv" "$n" >/dev/null
      $PY bench/wait.py dir "${MAILDIR[$box]}" "$n" 300 >/dev/null || log "$scen warm-up of $srv: not all delivered"
      clear_maildir "$box"
    done
  done
}

filter_load() {   # scen srv count: the signed message from a@auth.example, 20 sessions, one connection per message
  load load --port "${FILTER_PORT[${1}_$2]}" --sessions 20 --count "$3" --message "$TMP/filters/message.eml" \
    --from a@auth.example --to u@bench.test
}

filter_check() {
  local scen=$1 srv=$2 box=${FILTER_BOX[${1}_$2]} out f head r
  clear_maildir "$box"
  out=$(filter_load "$scen" "$srv" 1)
  if [ "$(json_field "$out" failed)" != 0 ]; then
    FILTER_NA[${scen}_$srv]="the test message was refused: $(json_field "$out" errors)"
    return
  fi
  if ! $PY bench/wait.py dir "${MAILDIR[$box]}" 1 30 >/dev/null; then
    FILTER_NA[${scen}_$srv]="the test message did not arrive in the inbox"
    return
  fi
  f=$(find "${MAILDIR[$box]}" -type f | head -1)
  # The header section, folded lines joined.
  head=$(sed '/^\r\?$/q' "$f" | tr -d '\r' | sed ':a;N;$!ba;s/\n[ \t]\+/ /g')
  mkdir -p "$TMP/checked"; cp "$f" "$TMP/checked/$scen-$srv.eml"
  if [ "$scen" = S8 ]; then
    for r in dkim spf dmarc; do
      grep -i '^Authentication-Results:' <<<"$head" | grep -qiE "(^|[ ;])$r=pass" \
        || FILTER_NA[${scen}_$srv]="${FILTER_NA[${scen}_$srv]:+${FILTER_NA[${scen}_$srv]}, }no $r=pass in Authentication-Results"
    done
  else
    grep -qi '^X-Spamd-Result:' <<<"$head" || FILTER_NA[${scen}_$srv]="no X-Spamd-Result from rspamd in the delivered message"
  fi
  clear_maildir "$box"
}

# S8 checks: S1 with the signed message, into a server that checks SPF, DKIM and DMARC of every message: Postwerk's
# second instance; Postfix's fourth smtpd with policyd-spf, opendkim and opendmarc (their CPU and memory count as
# Postfix's). The test DNS server's CPU is shared and counted apart.
scenario_S8() {
  if [ -n "${FILTER_NA[S8_$1]:-}" ]; then record S8 "$1" "$2" error "n/a: ${FILTER_NA[S8_$1]}"; return; fi
  clear_maildir "${FILTER_BOX[S8_$1]}"
  MEASURE_PW=${ROOT_PID[pwauth]} MEASURE_EXTRA=${FILTER_PID[opendkim]},${FILTER_PID[opendmarc]}
  MEASURE_SHARED=${FILTER_PID[dns]}
  measure S8 "$1" "$2" filter_run
  MEASURE_PW='' MEASURE_EXTRA='' MEASURE_SHARED=''
}

# S9 rspamd: S1 with the signed message through rspamd (a milter) on Postfix's fifth smtpd and on a listener of
# the main Postwerk instance. rspamd's CPU (with the DNS server's) is shared and counted apart from the server's.
scenario_S9() {
  if [ -n "${FILTER_NA[S9_$1]:-}" ]; then record S9 "$1" "$2" error "n/a: ${FILTER_NA[S9_$1]}"; return; fi
  MEASURE_SHARED=${FILTER_PID[rspamd]},${FILTER_PID[dns]}
  measure S9 "$1" "$2" filter_run
  MEASURE_SHARED=''
}

filter_run() {
  local scen=$1 srv=$2 round=$3 out t0 n=$S8_N
  [ "$scen" = S8 ] || n=$S9_N
  t0=$(now)
  out=$(filter_load "$scen" "$srv" "$n") || { record "$scen" "$srv" "$round" error "load client failed"; return; }
  load_delivered "$scen" "$srv" "$round" "$out" "${MAILDIR[${FILTER_BOX[${scen}_$srv]}]}" "$n" "$t0"
}
