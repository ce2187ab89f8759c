#!/usr/bin/env bash
# compare.sh: dxindex composite against the pandas pipeline, whole process
# against whole process, on COINr's reference data of N units × 40 indicators.
# The two run alternately, RUNS times each, so that a change in the machine's
# load hits both; the medians, their ratio and the load average are printed.
# Usage: scripts/compare.sh DXINDEX COINR_DIR [N] [RUNS]   (make compare)
set -euo pipefail
dx=$1 coinr=$2 n=${3:-50000} runs=${4:-7}
py=/usr/bin/python3 # Debian's python3-pandas lives there, not in a pyenv
dir=$(mktemp -d /tmp/dxcompare.XXXXXX)
trap 'rm -rf "$dir"' EXIT

"$py" "$coinr/gen_data.py" "$n" --out "$dir" >/dev/null
data=$dir/iData_N$n.csv meta=$dir/iMeta_K40.csv
dxcmd=("$dx" composite --data "$data" --meta "$meta" --group Group_district --out "$dir/dx.csv")
pdcmd=("$py" "$coinr/pandas_bench.py" "$data" "$meta" 1 "$dir/pandas.csv" "$dir/pandas_t.csv")

# One run of each first, untimed: the files in the page cache, Python's
# modules read once.
"${dxcmd[@]}"
"${pdcmd[@]}" >/dev/null

ms() { # milliseconds between two $EPOCHREALTIME values
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)
echo "N=$n units x 40 indicators, $runs runs each, alternating; load average before: $load0"
dxt=() pdt=()
for ((r = 1; r <= runs; r++)); do
	t0=$EPOCHREALTIME
	"${dxcmd[@]}"
	t1=$EPOCHREALTIME
	"${pdcmd[@]}" >/dev/null
	t2=$EPOCHREALTIME
	dxt+=("$(ms "$t0" "$t1")") pdt+=("$(ms "$t1" "$t2")")
	printf 'run %d: dxindex %8s ms   pandas %8s ms\n' "$r" "${dxt[-1]}" "${pdt[-1]}"
done
dxm=$(printf '%s\n' "${dxt[@]}" | median)
pdm=$(printf '%s\n' "${pdt[@]}" | median)
load1=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)
echo "median: dxindex composite $dxm ms, pandas $pdm ms"
awk -v a="$dxm" -v b="$pdm" 'BEGIN { printf "ratio: dxindex is %.1fx faster than pandas (medians)\n", b / a }'
echo "load average after: $load1 ($(nproc 2>/dev/null || echo ?) cores)"

# The same results, or the comparison means nothing.
"$py" - "$dir/dx.csv" "$dir/pandas.csv" <<'PY'
import sys
import pandas as pd
a, b = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
d = (a["INDEX"] - b["INDEX"]).abs().max()
same = (a["Rank"] == b["Rank"]).all() and (a["Group_districtRank"] == b["Group_districtRank"]).all()
print(f"results: max |INDEX difference| {d:.2g}, ranks {'identical' if same else 'DIFFERENT'}")
sys.exit(0 if d < 1e-9 and same else 1)
PY
