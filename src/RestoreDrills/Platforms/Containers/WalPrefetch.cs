using System.Globalization;
using RestoreDrills.Backups;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// Parallel WAL prefetch for the restored server, as CNPG's wal.maxParallel, still through barman-cloud only.
/// Each barman-cloud-wal-restore costs a Python start-up (~0.75 s here), and PostgreSQL asks for segments one at
/// a time; so when asked for segment N, the wrapper also starts barman-cloud-wal-restore for the next
/// maxParallel-1 segments in the background into a spool directory, and serves a segment from the spool once it
/// is there. What can go wrong stays safe:
/// - timeline history, .partial and .backup files are never prefetched, always fetched on request;
/// - a prefetch that fails (a segment past the end of the archive) leaves nothing in the spool, so the request
///   for it goes to the store itself and fails or succeeds there, exactly as without prefetch; and no segment
///   after it on that timeline is prefetched again (the end of the archive: without this, every request near
///   the end would start maxParallel-1 doomed Python processes on a 2-core machine);
/// - the window starts at one segment ahead and doubles each time a prefetched segment is used, up to
///   maxParallel-1 (a slow start: a replay of a few segments never pays for a full window of fetches);
/// - a segment being prefetched is waited for (bounded) rather than fetched twice; files land in the spool
///   under a temporary name and are renamed whole, so a half-written segment is never served.
/// </summary>
public static class WalPrefetch
{
    public const string WrapperPath = "/var/lib/postgresql/restoredrills-wal-restore";
    public const string SpoolDirectory = "/var/lib/postgresql/wal-spool";

    /// <summary>How long a request waits for a running prefetch of the same segment (tenths of a second).</summary>
    private const int WaitForPrefetchTenths = 600;

    public static string RestoreCommand => $"{WrapperPath} %f %p";

    /// <summary>A bash script that writes the wrapper; the WAL segment size is read from the restored data directory.</summary>
    public static string InstallScript(BarmanCloudCommands barman, int maxParallel, string dataDirectory) =>
        $$"""
        size=$(pg_controldata -D {{dataDirectory}} | sed -n 's/^Bytes per WAL segment: *//p')
        mkdir -p {{SpoolDirectory}}
        cat > {{WrapperPath}} <<'RESTOREDRILLS_WRAPPER'
        #!/bin/bash
        # restore_command wrapper written by RestoreDrills: %f %p, with parallel prefetch (maxParallel={{maxParallel}}).
        f="$1"; p="$2"; spool={{SpoolDirectory}}; max={{maxParallel.ToString(CultureInfo.InvariantCulture)}}
        fetch() { {{barman.WalRestoreProgram}} "$1" "$2"; }
        if [ "$max" -gt 1 ] && [[ "$f" =~ ^[0-9A-F]{24}$ ]]; then
          per=$(( 0x100000000 / SEGMENT_SIZE ))
          tli=${f:0:8}; log=$((16#${f:8:8})); seg=$((16#${f:16:8}))
          end=$(sort "$spool/.missing-$tli" 2>/dev/null | head -n 1)
          window=$(cat "$spool/.window" 2>/dev/null || echo 1)
          if [ -f "$spool/$f" ] || [ -d "$spool/$f.inflight" ]; then window=$(( window * 2 < max - 1 ? window * 2 : max - 1 )); echo "$window" > "$spool/.window"; fi
          for ((k = 1; k <= window; k++)); do
            s=$((seg + k)); n=$(printf '%s%08X%08X' "$tli" $((log + s / per)) $((s % per)))
            [ -n "$end" ] && [[ ! "$n" < "$end" ]] && break
            [ -f "$spool/$n" ] && continue
            mkdir "$spool/$n.inflight" 2>/dev/null || continue
            ( if fetch "$n" "$spool/$n.tmp"; then mv -f "$spool/$n.tmp" "$spool/$n"; else rm -f "$spool/$n.tmp"; echo "$n" >> "$spool/.missing-$tli"; fi
              rmdir "$spool/$n.inflight" ) </dev/null >/dev/null 2>&1 &
          done
        fi
        for ((i = 0; i < {{WaitForPrefetchTenths}}; i++)); do [ -d "$spool/$f.inflight" ] || break; sleep 0.1; done
        if [ -f "$spool/$f" ]; then mv -f "$spool/$f" "$p"; exit 0; fi
        fetch "$f" "$p"
        RESTOREDRILLS_WRAPPER
        sed -i "s/SEGMENT_SIZE/$size/" {{WrapperPath}}
        chmod 755 {{WrapperPath}}
        """;
}
