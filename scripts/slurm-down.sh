#!/usr/bin/env bash
# Stops the one-node Slurm of scripts/slurm-up.sh: slurmd, slurmctld, munged.
set -u
scontrol shutdown >/dev/null 2>&1 || true
for p in slurmd slurmctld munged; do
  for i in $(seq 1 20); do pgrep -x "$p" >/dev/null || break; [ "$i" = 10 ] && pkill -9 -x "$p"; pkill -x "$p" 2>/dev/null; sleep 0.5; done
done
pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || pgrep -x munged >/dev/null && { echo "slurm-down: daemons still running" >&2; exit 1; }
exit 0
