# shellcheck shell=bash disable=SC2034,SC2154 # the arrays are declared (associative) in bench/run
# bench/imap-scenarios.sh: the IMAP scenarios I1-I5, Dovecot against Postwerk, called as scenario_In SERVER ROUND
# by bench/run like the SMTP ones. Every IMAP connection is implicit TLS (imaps) with LOGIN, for both servers.
# I4 and I5 deliver by SMTP: into Postwerk itself, and for Dovecot through the run's Postfix instance, which
# delivers i@bench.test into the Maildir Dovecot serves (the usual Postfix + Dovecot pair); Postfix's CPU
# then counts as Dovecot's. docs/performance.md ("IMAP") describes what each one measures.

imap_load() {   # mode server [options]: ImapLoad against the server's imaps port, as i@bench.test
  local mode=$1 srv=$2
  shift 2
  timeout 600 "$JAVA" -Xmx3g -Xss256k -cp "$TMP/classes" ImapLoad "$mode" --port "${IMAPS_PORT[$srv]}" \
    --smtp-port "${IMAP_SMTP[$srv]}" --user i@bench.test --pass bench-secret "$@"
}

# Not measured: the first SELECT builds each server's index of the 10,000 files; FETCH and SEARCH of all of them
# fill the caches (Dovecot's dovecot.index.cache learns the header fields asked for) and JIT-compile Postwerk's
# IMAP paths; APPEND and SMTP-to-IDLE run too.
imap_warm_up() {
  local srv
  for srv in "${IMAP_SERVERS[@]}"; do
    log "IMAP warm-up: $srv"
    imap_load fetch "$srv" --sessions 2 --repeat "$IMAP_WARM_REPEAT" >/dev/null || die "IMAP warm-up of $srv (fetch) failed"
    imap_load search "$srv" --sessions 2 --repeat $((IMAP_WARM_REPEAT * 10)) >/dev/null || die "IMAP warm-up of $srv (search) failed"
    imap_load append "$srv" --sessions 20 --count "$IMAP_APPEND_N" --size 4096 --mailbox Warm >/dev/null \
      || die "IMAP warm-up of $srv (append) failed"
    imap_load notify "$srv" --count 20 >/dev/null || die "IMAP warm-up of $srv (SMTP to IDLE) failed"
  done
}

# For Dovecot, Postfix does the SMTP half of I4 and I5: its CPU and memory count with Dovecot's.
with_delivery() {
  local srv=$1
  shift
  [ "$srv" = dovecot ] && MEASURE_EXTRA=${ROOT_PID[postfix]}
  "$@"
  MEASURE_EXTRA=
}

# Records every number of ImapLoad's JSON output under its own key, and an error when there were errors.
imap_record() {   # scen srv round json key...
  local scen=$1 srv=$2 round=$3 out=$4 k v
  shift 4
  for k in "$@"; do
    v=$(json_field "$out" "$k")
    [ -n "$v" ] && record "$scen" "$srv" "$round" "$k" "$v"
  done
  v=$(json_field "$out" errors)
  [ -n "$v" ] && [ "$v" != "[]" ] && record "$scen" "$srv" "$round" error "$v"
  return 0
}

# I1: 4 sessions at once, each FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)]) of INBOX, 3 times,
# timed, after one untimed FETCH each (the client JVM compiles its own code then; the server CPU counts all 4).
scenario_I1() { measure I1 "$1" "$2" i1_run; }
i1_run() {
  local out
  out=$(imap_load fetch "$2" --sessions 4 --repeat "$I1_REPEAT" --warm 1) || { record "$1" "$2" "$3" error "client failed"; return; }
  imap_record "$1" "$2" "$3" "$out" msgs_per_s fetch_ms_p50
}

# I2: 4 sessions, each iteration SELECT INBOX + SEARCH FROM "sender042" + SEARCH SUBJECT "invoice" +
# SEARCH SINCE 1-Oct-2026.
scenario_I2() { measure I2 "$1" "$2" i2_run; }
i2_run() {
  local out hits
  out=$(imap_load search "$2" --sessions 4 --repeat "$I2_REPEAT") || { record "$1" "$2" "$3" error "client failed"; return; }
  imap_record "$1" "$2" "$3" "$out" per_s iteration_ms_p50
  hits=$(json_field "$out" hits)
  record "$1" "$2" "$3" note "hits FROM/SUBJECT/SINCE: $hits"
}

# I3: 20 sessions APPEND 4 KB messages (synchronizing literal) to the folder Bench; each OK is durable.
scenario_I3() { measure I3 "$1" "$2" i3_run; }
i3_run() {
  local out
  out=$(imap_load append "$2" --sessions 20 --count "$IMAP_APPEND_N" --size 4096 --mailbox Bench) \
    || { record "$1" "$2" "$3" error "client failed"; return; }
  imap_record "$1" "$2" "$3" "$out" msgs_per_s
}

# I4: N sessions (I4_N for Postwerk, I4_N_DOVECOT for Dovecot) log in, SELECT INBOX and IDLE; the server's
# RSS and PSS growth per session while they are held; then one SMTP delivery and the time from its end of DATA until every session has heard EXISTS.
scenario_I4() { with_delivery "$1" measure I4 "$1" "$2" i4_run; }
i4_run() {
  local scen=$1 srv=$2 round=$3 mem0 mem1 out held n=$I4_N
  [ "$srv" = dovecot ] && n=$I4_N_DOVECOT
  rm -f "$TMP/i4.ready" "$TMP/i4.go"
  sleep 2
  mem0=$($PY bench/procstat.py mem "${ROOT_PID[$srv]}")
  imap_load idle "$srv" --count "$n" --batch 100 --ready "$TMP/i4.ready" --go "$TMP/i4.go" \
    --hold-max 600 >"$TMP/i4.json" 2>"$TMP/i4.err" & IDLE_PID=$!
  for _ in $(seq 6000); do [ -f "$TMP/i4.ready" ] || ! kill -0 "$IDLE_PID" 2>/dev/null && break; sleep 0.1; done
  sleep 2   # let the servers settle (Dovecot's processes finish their start)
  mem1=$($PY bench/procstat.py mem "${ROOT_PID[$srv]}")
  touch "$TMP/i4.go"
  wait "$IDLE_PID"; IDLE_PID=
  out=$(cat "$TMP/i4.json")
  held=$(json_field "$out" held)
  [ -n "$held" ] || { record "$scen" "$srv" "$round" error "idle client failed: $(tail -1 "$TMP/i4.err")"; return; }
  imap_record "$scen" "$srv" "$round" "$out" held open_seconds notified notify_p50_ms notify_max_ms
  if [ "$held" -gt 0 ]; then
    record "$scen" "$srv" "$round" rss_per_conn_kb \
      "$(calc "($(json_field "$mem1" rss_kb) - $(json_field "$mem0" rss_kb)) / $held" 1)"
    record "$scen" "$srv" "$round" pss_per_conn_kb \
      "$(calc "($(json_field "$mem1" pss_kb) - $(json_field "$mem0" pss_kb)) / $held" 1)"
  fi
  [ "$(json_field "$out" first_error)" ] && record "$scen" "$srv" "$round" note \
    "$(json_field "$out" failed) of $(json_field "$out" attempted) not held: $(json_field "$out" first_error)"
  sleep 3   # the sessions' ends reach the server before the next round measures
  return 0
}

# I5: one IDLE session; deliveries one after the other by SMTP, each timed from its end of DATA to EXISTS.
scenario_I5() { with_delivery "$1" measure I5 "$1" "$2" i5_run; }
i5_run() {
  local out
  out=$(imap_load notify "$2" --count "$I5_N") || { record "$1" "$2" "$3" error "client failed"; return; }
  imap_record "$1" "$2" "$3" "$out" p50_ms p99_ms smtp_p50_ms
}
