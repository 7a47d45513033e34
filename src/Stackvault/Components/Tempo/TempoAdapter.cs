using System.Diagnostics;
using Stackvault.Backup;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Tempo;

/// <summary>
/// <c>type: tempo</c> with the local backend: <c>POST /flush</c> (Tempo 2.x cuts its live traces to blocks; Tempo 3.x
/// has no such endpoint and answers 404, which is fine), then data_dir stored at <c>/&lt;name&gt;/...</c> by its
/// <see cref="TempoLayout"/>: complete blocks one by one; partial blocks (no meta.json: being written, or abandoned)
/// and deleted ones (meta.deleted.json) left out and counted; compacted ones (meta.compacted.json) left out unless
/// <c>include_compacted: true</c>; every other entry (wal/, tenant indexes, seeds) stored as it is.
/// Checks: <see cref="TempoChecks"/>. A data_dir with no block root is not taken for an empty one: the component fails.
/// </summary>
public sealed class TempoAdapter(HttpClient httpClient) : IComponentAdapter
{
    public const string MetaFile = TempoLayout.MetaFile;
    public const string CompactedMetaFile = TempoLayout.CompactedMetaFile;

    public string Type => TempoComponent.TypeName;

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
        var layout = TempoLayout.Scan(dataDir, cancellationToken);
        if (layout.Roots.Count == 0 && layout.Others.Count > 0)
        {
            throw new StackvaultException($"{dataDir} is not a recognised Tempo layout (expected {TempoLayout.Expected}); it holds {string.Join(", ", layout.Others.Take(5))}");
        }

        var sources = layout.Others.Select(o => BackupSource.At(ComponentPlan.PathIn(component, o), Path.Combine(dataDir, o))).ToList();
        foreach (var block in layout.Blocks)
        {
            if (block.State == TempoBlockState.Complete || (block.State == TempoBlockState.Compacted && tempo.IncludeCompacted))
            {
                sources.Add(BackupSource.At(ComponentPlan.PathIn(component, block.Relative), Path.Combine(dataDir, block.Relative)));
            }
        }

        var section = ComponentPlan.NewSection(component, flushed ? "tempo-flush-copy" : "tempo-copy", client.SafeUrl);
        section.EngineVersion = version;
        section.Checks = new Dictionary<string, long>
        {
            [TempoChecks.Tenants] = layout.Tenants,
            [TempoChecks.Blocks] = layout.Count(TempoBlockState.Complete),
            [TempoChecks.PartialBlocks] = layout.Count(TempoBlockState.Partial),
            [TempoChecks.CompactedBlocks] = layout.Count(TempoBlockState.Compacted),
            [TempoChecks.DeletedBlocks] = layout.Count(TempoBlockState.Deleted),
            [TempoChecks.SourceBlocks] = layout.Blocks.Count,
            [TempoChecks.Flushed] = flushed ? 1 : 0,
        };
        section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ComponentPlan(sources, section);
    }
}
