using System.Globalization;
using RestoreDrills.Backups;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// The restored server's restore_command, written to fetch WAL as CNPG's instance manager does
/// (cloudnative-pg internal/cmd/manager/walrestore/cmd.go; the Barman Cloud Plugin's internal/cnpgi/common/wal.go
/// does the same), so the drill's RTO stands for the cluster's. For each file PostgreSQL asks for:
/// 1. a file already in the spool directory is moved into place, with no call to the store;
/// 2. where the end-of-WAL-stream flag applies and is set, the flag is removed and the command fails at once;
/// 3. a WAL segment is fetched together with the next maxParallel-1 segments, all at once, the requested one into
///    place and the others into the spool (under a temporary name, renamed whole); any other file (a timeline
///    history) is fetched alone;
/// 4. if the requested file failed, so does the command (after CNPG's 100 ms pause);
/// 5. where the flag applies, a prefetched segment that was not found (barman-cloud-wal-restore exit 1) sets it.
/// CNPG uses the flag only where streaming replication can take over (a replica); a new cluster's first instance,
/// which is what a restore drill creates, never does (isStreamingAvailable: no current primary yet).
/// Every request and every barman-cloud-wal-restore call is one line of <see cref="LogPath"/>.
/// </summary>
public static class CnpgWalRestore
{
    public const string CommandPath = "/var/lib/postgresql/restoredrills-wal-restore";
    public const string SpoolDirectory = "/var/lib/postgresql/wal-restore-spool";
    public const string EndOfWalStreamFlag = SpoolDirectory + "/end-of-wal-stream";

    /// <summary>"request NAME spool|end-of-wal-stream|fetched|failed RC" and "call NAME RC", one line each.</summary>
    public const string LogPath = "/var/lib/postgresql/wal-restore.log";

    public static string RestoreCommand => $"{CommandPath} %f %p";

    /// <summary>
    /// A bash script that writes the command; run after the base backup is in <paramref name="dataDirectory"/>,
    /// whose pg_control gives the WAL segment size (CNPG assumes 16 MB; the real size names the right segments).
    /// </summary>
    public static string InstallScript(BarmanCloudCommands barman, int maxParallel, bool endOfWalStreamFlag, string dataDirectory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        var max = maxParallel.ToString(CultureInfo.InvariantCulture);
        return $$"""
            size=$(pg_controldata -D {{dataDirectory}} | sed -n 's/^Bytes per WAL segment: *//p')
            [ -n "$size" ] || { echo "cannot read the WAL segment size from pg_controldata" >&2; exit 1; }
            mkdir -p {{SpoolDirectory}} && : > {{LogPath}}
            cat > {{CommandPath}} <<'END_OF_SCRIPT'
            #!/bin/bash
            # restore_command written by RestoreDrills: CNPG's wal-restore, step by step (maxParallel={{max}}).
            f="$1"; p="$2"; spool={{SpoolDirectory}}; flag={{EndOfWalStreamFlag}}; log={{LogPath}}
            max={{max}}; use_flag={{(endOfWalStreamFlag ? "1" : "0")}}
            fetch() { {{barman.WalRestoreProgram}} "$1" "$2"; local rc=$?; echo "call $1 $rc" >> "$log"; return $rc; }
            # 1. served from the spool
            if [ -f "$spool/$f" ] && mv -f "$spool/$f" "$p"; then echo "request $f spool" >> "$log"; exit 0; fi
            # 2. the end-of-WAL-stream flag, where it applies
            if [ "$use_flag" = 1 ] && [ -f "$flag" ]; then rm -f "$flag"; echo "request $f end-of-wal-stream" >> "$log"; exit 1; fi
            # 3. the segment and the next max-1, or the file alone
            list=("$f")
            if [[ "$f" =~ ^[0-9A-F]{24}$ ]]; then
              per=$(( 0x100000000 / SEGMENT_SIZE )); tli=${f:0:8}; log_id=$((16#${f:8:8})); seg=$((16#${f:16:8}))
              for ((k = 1; k < max; k++)); do
                s=$((seg + k)); list+=("$(printf '%s%08X%08X' "$tli" $((log_id + s / per)) $((s % per)))")
              done
            fi
            pids=()
            for i in "${!list[@]}"; do
              n=${list[$i]}
              if [ "$i" = 0 ]; then fetch "$n" "$p" &
              else ( fetch "$n" "$spool/$n.tmp" && mv -f "$spool/$n.tmp" "$spool/$n" || { rc=$?; rm -f "$spool/$n.tmp"; exit $rc; } ) &
              fi
              pids+=($!)
            done
            rcs=(); for pid in "${pids[@]}"; do wait "$pid"; rcs+=($?); done
            # 4. the requested file failed: so does the command
            if [ "${rcs[0]}" != 0 ]; then echo "request $f failed ${rcs[0]}" >> "$log"; sleep 0.1; exit 1; fi
            # 5. a prefetched segment not found sets the flag
            if [ "$use_flag" = 1 ]; then for rc in "${rcs[@]:1}"; do [ "$rc" = 1 ] && { touch "$flag"; break; }; done; fi
            echo "request $f fetched ${#list[@]}" >> "$log"
            exit 0
            END_OF_SCRIPT
            sed -i "s/SEGMENT_SIZE/$size/" {{CommandPath}}
            chmod 755 {{CommandPath}}
            """;
    }
}
