#!/usr/bin/env bash
# The GPU issue's lent-machine checks in two device calls (each under the tool's 10 minutes; a
# machine idle for 30 s goes back, so make the second call at once). In the repository root there,
# after bench/device/pack.sh here, with carry [".device", ".gl"]:
#   bash bench/device/session.sh start   info, `bench gpu` (parity + updates/s beside the CPU
#                                        kernels), then starts the 300k-step webgpu curve of
#                                        ant/run-direction seed 1 and follows it until ~9 min
#   bash bench/device/session.sh wait    follows it to the end (or ~9 more minutes), then plots
#                                        it against the CPU run of the same seed and evaluates it
# Each call leaves in $OUT what it has so far: session.log, info.json, bench-gpu.json,
# train.jsonl, runs.tar (run.json + metrics.jsonl of both runs, no checkpoints), the curve SVG
# and eval.json. Overrides for a dry run elsewhere: STEPS, TRAIN_DEVICE, BENCH_ARGS, BUDGET_S.
set -uo pipefail
: "${OUT:?OUT is unset: this runs on the device machine, where OUT is the folder that comes back}"
phase=${1:-}
[ "$phase" = start ] || [ "$phase" = wait ] || { echo "usage: session.sh start|wait" >&2; exit 2; }
t0=$SECONDS
budget=${BUDGET_S:-540}
steps=${STEPS:-300000}
device=${TRAIN_DEVICE:-webgpu}
home=/tmp/maxent-home # outside the tree, which every call sends afresh
cpu_run=20261123-170550-ant-run-direction-dc3ce1 # bench/curves: the CPU curve of seed 1
log=$OUT/session.log

# shellcheck disable=SC1091
source .device/unpack.sh || { echo "session: .device/unpack.sh failed (carry .device and .gl)" >&2; exit 1; }
maxent() { node /tmp/kit/maxent.mjs "$@"; }
say() { echo "[$(date -u +%H:%M:%S) +$((SECONDS - t0))s] $*" | tee -a "$log"; }
gpu_run() { find "$home/runs" -mindepth 1 -maxdepth 1 -name '*-ant-run-direction-*' ! -name "$cpu_run" -printf '%f\n' 2>/dev/null | head -1; }
running() { [ -f /tmp/train.pid ] && kill -0 "$(cat /tmp/train.pid)" 2>/dev/null; }

report() {
  cp /tmp/train.jsonl "$OUT/train.jsonl" 2>/dev/null
  [ -s /tmp/train.err ] && { say "train stderr:"; tee -a "$log" < /tmp/train.err; }
  local run
  run=$(gpu_run)
  [ -n "$run" ] || { say "no GPU run yet"; return; }
  say "GPU run $run: $(tail -1 /tmp/train.jsonl 2>/dev/null)"
  tar --exclude=checkpoints --exclude=videos -C "$home" -cf "$OUT/runs.tar" runs
  maxent plot "$cpu_run" "$run" --home "$home" --title "ant/run-direction seed 1: CPU vs $device" \
    --out "$OUT/ant-cpu-vs-$device.svg" >> "$log" 2>&1
  maxent compare "$cpu_run" "$run" --home "$home" --threshold 800 >> "$log" 2>&1
  if ! running; then
    say "evaluating the final checkpoint (deterministic, 10 episodes)"
    maxent eval "$run" --home "$home" --episodes 10 --json > "$OUT/eval.json" 2>> "$log"
    tee -a "$log" < "$OUT/eval.json"
  fi
}

follow() {
  while running && [ $((SECONDS - t0)) -lt "$budget" ]; do
    sleep 15
    say "$(tail -1 /tmp/train.jsonl 2>/dev/null | cut -c1-220)"
  done
  if running; then say "still training: call 'session.sh wait' at once"; else say "training ended"; fi
  report
}

if [ "$phase" = start ]; then
  running && { say "a session is already under way: use 'session.sh wait'"; exit 2; }
  { nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; lscpu | grep -E 'Model name|^CPU\(s\)'
    # what Dawn's adapter probe depends on, for the log if it finds no GPU
    echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-}"
    ldconfig -p | grep -E 'libvulkan|libnvidia-glcore|libGLX_nvidia|libEGL_nvidia' | head -8; } >> "$log" 2>&1
  maxent info --json > "$OUT/info.json" 2>> "$log"
  say "info: $(head -c 400 "$OUT/info.json")"
  say "bench gpu"
  # shellcheck disable=SC2086
  maxent bench gpu --json ${BENCH_ARGS:---per-submit 8,32,128} > "$OUT/bench-gpu.json" 2>> "$log"
  say "bench gpu done: $(head -c 600 "$OUT/bench-gpu.json")"
  rm -rf "$home" && mkdir -p "$home/runs" && cp -r "bench/curves/runs/$cpu_run" "$home/runs/"
  # setsid: the run outlives this call, so the next call finds it going
  setsid nohup node /tmp/kit/maxent.mjs train ant/run-direction --device "$device" --steps "$steps" --seed 1 \
    --name "ant-curve-300k-$device" --home "$home" --json > /tmp/train.jsonl 2> /tmp/train.err < /dev/null &
  echo $! > /tmp/train.pid
  say "training started (pid $(cat /tmp/train.pid))"
  follow
else
  [ -f /tmp/train.pid ] || { say "no session here (the machine was given back?): run 'session.sh start'"; exit 1; }
  follow
fi
