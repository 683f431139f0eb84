# The .NET SDK is the one thing a machine must bring (it is not in Debian's archive).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rd_ensure_dotnet() {
  command -v dotnet >/dev/null || rd_die "the .NET 10 SDK is missing: install it (https://dot.net), then run this again"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# rd_dotnet_test <log-file> <dotnet test arguments...>: runs tests with live progress, keeps the output.
rd_dotnet_test() {
  local log="$1"; shift
  dotnet test "$@" --settings "$RD_ROOT/nunit.runsettings" --logger "console;verbosity=normal" 2>&1 \
    | grep --line-buffered -v '^ \[testcontainers.org' | tee "$log"
  return "${PIPESTATUS[0]}"
}

# Sums the per-project "Passed: N / Failed: N / Skipped: N" lines of dotnet test into one closing line.
rd_test_totals() {
  awk '/^ +Passed: [0-9]+$/ {p+=$2} /^ +Failed: [0-9]+$/ {f+=$2} /^ +Skipped: [0-9]+$/ {s+=$2}
       END {printf "%d passed, %d failed, %d skipped\n", p, f, s}' "$1"
}

# Names each failed test with the first lines of its message, so the end of a long log (all a CI page may show) says what failed.
rd_test_failures() {
  awk '/^  Failed [^ ]/ {n=1; print; next}
       n && /^  (Passed|Failed|Skipped) / {n=0}
       n && n++ <= 8 {print}' "$1"
}

# The first failure's cause in dotnet test's log, in one line: its message without NUnit's "OneTimeSetUp: SetUp : " and
# the exception's type; else the first error line (a build error); else the log's last line.
rd_first_failure_cause() {
  local cause
  cause=$(awk '/^ +Error Message:$/ {getline; print; exit}' "$1" | sed -E 's/^ +//; s/^(OneTimeSetUp: )?(SetUp : )?([A-Za-z0-9_.]+(Exception|Failure) : )?//')
  [ -n "$cause" ] || cause=$(grep -m1 -E ': error [A-Z]+[0-9]+:|^error' "$1")
  [ -n "$cause" ] || cause=$(grep -v '^\s*$' "$1" | tail -1)
  echo "$cause"
}
