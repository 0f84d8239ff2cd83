#!/usr/bin/env bash
# Times opening a workspace in the real terminal interface, as a user meets
# it: from starting the binary in a tmux pane until the status bar no longer
# says "Loading". The pane is looked at every 100 ms (a tmux client per
# look costs CPU the load would otherwise get), so a figure is within
# 100 ms of the truth; runs alternate with the floor for a same-run ratio.
#
#   cargo build --release --example loadparts && cargo build --release
#   benches/tmux-load.sh target/bench-fixtures/live-ro-100000 [RUNS] [BINARY]
set -euo pipefail
ws=${1:?workspace folder}
runs=${2:-3}
bin=${3:-target/release/valuemap}
session=valuemap-load-$$
once() {
  tmux kill-session -t "$session" 2>/dev/null || true
  local start now seen=0 out
  start=$(date +%s%N)
  tmux new-session -d -s "$session" -x 140 -y 40 "$bin $ws"
  while true; do
    out=$(tmux capture-pane -p -t "$session" 2>/dev/null || true)
    if grep -q "Loading" <<<"$out"; then seen=1; fi
    if [ "$seen" = 1 ] && ! grep -q "Loading" <<<"$out"; then break; fi
    now=$(date +%s%N)
    if [ $(((now - start) / 1000000)) -gt 60000 ]; then echo "timed out" >&2; break; fi
    sleep 0.1
  done
  now=$(date +%s%N)
  tmux send-keys -t "$session" q
  sleep 0.3
  tmux kill-session -t "$session" 2>/dev/null || true
  echo $(((now - start) / 1000000))
}
for _ in $(seq "$runs"); do
  loaded=$(once)
  floor=$(target/release/examples/loadparts "$ws" 1 floor | sed -E 's/^floor ([0-9.]+) ms.*/\1/')
  echo "loaded in the terminal ${loaded} ms, floor ${floor} ms"
done
