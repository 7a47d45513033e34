using System.Diagnostics;
using Stackvault.Backup;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Tempo;

/// <summary>
/// <c>type: tempo</c> with the local backend: <c>POST /flush</c> (Tempo 2.x cuts its live traces to blocks; Tempo 3.x
/// has no such endpoint and answers 404, which is fine), then data_dir stored at <c>/&lt;name&gt;/...</c>.
/// <c>blocks/&lt;tenant&gt;/&lt;uuid&gt;/</c> are stored one by one, only when complete: Tempo writes a block's
/// meta.json last, so a block without it is being written (or was abandoned) and is left out and counted as partial.
/// Blocks compacted away (meta.compacted.json) are left out unless <c>include_compacted: true</c>. Every other entry
/// of data_dir (wal/, the generator's wal) is stored as it is. Checks: tenants, complete, partial and compacted blocks.
/// </summary>
public sealed class TempoAdapter(HttpClient httpClient) : IComponentAdapter
{
    public const string MetaFile = "meta.json";
    public const string CompactedMetaFile = "meta.compacted.json";

    public string Type => "tempo";

    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var tempo = (TempoComponent)component;
        var started = Stopwatch.GetTimestamp();
        var dataDir = Path.GetFullPath(tempo.DataDir).TrimEnd('/');
        if (!Directory.Exists(dataDir))
        {
            throw new StackvaultException($"{dataDir}: no such directory (the Tempo data_dir)");
        }

        var client = new EngineHttp(httpClient, "Tempo", tempo.Url);
        var flushed = await client.FlushAsync(cancellationToken).ConfigureAwait(false);
        string? version;
        try
        {
            version = await client.VersionAsync("api/status/buildinfo", cancellationToken).ConfigureAwait(false);
        }
        catch (StackvaultException)
        {
            version = null;
        }

        // The scan happens after the flush: blocks it cut are complete by now.
        var sources = new List<BackupSource>();
        long tenants = 0, complete = 0, partial = 0, compacted = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dataDir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (name != "blocks" || !Directory.Exists(entry))
            {
                sources.Add(BackupSource.At(ComponentPlan.PathIn(component, name), entry));
                continue;
            }

            foreach (var tenant in Directory.EnumerateFileSystemEntries(entry).Order(StringComparer.Ordinal))
            {
                var tenantName = Path.GetFileName(tenant);
                var tenantPath = "blocks/" + tenantName;
                if (!Directory.Exists(tenant))
                {
                    sources.Add(BackupSource.At(ComponentPlan.PathIn(component, tenantPath), tenant));
                    continue;
                }

                tenants++;
                foreach (var block in Directory.EnumerateFileSystemEntries(tenant).Order(StringComparer.Ordinal))
                {
                    var blockPath = tenantPath + "/" + Path.GetFileName(block);
                    if (!Directory.Exists(block))
                    {
                        // The tenant index (index.json.gz) and other files beside the blocks.
                        sources.Add(BackupSource.At(ComponentPlan.PathIn(component, blockPath), block));
                        continue;
                    }

                    if (File.Exists(Path.Combine(block, MetaFile)))
                    {
                        complete++;
                    }
                    else if (File.Exists(Path.Combine(block, CompactedMetaFile)))
                    {
                        compacted++;
                        if (!tempo.IncludeCompacted)
                        {
                            continue;
                        }
                    }
                    else
                    {
                        partial++;
                        continue;
                    }

                    sources.Add(BackupSource.At(ComponentPlan.PathIn(component, blockPath), block));
                }
            }
        }

        var section = ComponentPlan.NewSection(component, flushed ? "tempo-flush-copy" : "tempo-copy", client.SafeUrl);
        section.EngineVersion = version;
        section.Checks = new Dictionary<string, long>
        {
            ["tenants"] = tenants,
            ["blocks"] = complete,
            ["partial_blocks"] = partial,
            ["compacted_blocks"] = compacted,
            ["flushed"] = flushed ? 1 : 0,
        };
        section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ComponentPlan(sources, section);
    }
}
