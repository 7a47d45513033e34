using System.Diagnostics;
using Stackvault.Backup;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Loki;

/// <summary>
/// <c>type: loki</c> with filesystem storage: <c>POST /flush</c> (in-memory chunks to disk), then the index copied
/// aside, then everything else of <c>data_dir</c> read live, all stored under <c>/&lt;name&gt;/...</c> at their paths
/// relative to data_dir. Left out: tsdb-shipper-cache (a download cache), scratch and rules-temp (working files).
/// Checks: index files, chunk files, tenants, and whether the flush happened.
/// </summary>
/// <remarks>
/// Order is what makes the copy consistent. Loki cannot rebuild an index from chunks, and an index entry names chunks
/// that must exist. Chunks are immutable once written and only the compactor's retention deletes them, so every chunk
/// an index copy taken at time T refers to still exists when chunks are read after T. Reading chunks first and the
/// index second could store index entries for chunks flushed in between, missing from the copy. So the index
/// (tsdb-shipper-active, index/, and chunks/index/ where the filesystem object store ships it) is copied into the
/// component's scratch directory during prepare, before the backup reads a single chunk; chunks written later are at
/// worst unreferenced extras, which Loki ignores. The index is small next to the chunks; it is the only copy made.
/// </remarks>
public sealed class LokiAdapter(HttpClient httpClient) : IComponentAdapter
{
    /// <summary>Index directories, relative to data_dir, copied before the chunks are read.</summary>
    public static readonly IReadOnlyList<string> IndexPaths = ["tsdb-shipper-active", "boltdb-shipper-active", "index", "chunks/index"];

    /// <summary>Top-level directories of data_dir that are never stored.</summary>
    public static readonly IReadOnlyList<string> LeftOut = ["tsdb-shipper-cache", "boltdb-shipper-cache", "scratch", "rules-temp"];

    public string Type => LokiComponent.TypeName;

    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var loki = (LokiComponent)component;
        var started = Stopwatch.GetTimestamp();
        var dataDir = Path.GetFullPath(loki.DataDir).TrimEnd('/');
        if (!Directory.Exists(dataDir))
        {
            throw new StackvaultException($"{dataDir}: no such directory (the Loki data_dir)");
        }

        var client = new EngineHttp(httpClient, "Loki", loki.Url);
        var (flushed, version) = await FlushAsync(client, loki.Flush == LokiComponent.FlushOptional, cancellationToken).ConfigureAwait(false);

        // 1. The index, copied now: see the remarks on ordering.
        var indexCopies = new Dictionary<string, string>(StringComparer.Ordinal);
        long indexFiles = 0;
        foreach (var relative in IndexPaths)
        {
            var real = Path.Combine(dataDir, relative);
            if (Directory.Exists(real))
            {
                var copy = Path.Combine(scratchDirectory, "index-copy", relative);
                indexFiles += CopyTree(real, copy, cancellationToken);
                indexCopies[relative] = copy;
            }
        }

        // 2. Everything else, read live by the backup after prepare.
        var sources = new List<BackupSource>();
        AddSources(component, dataDir, string.Empty, indexCopies, sources);

        var (_, chunkFiles, tenants) = Count(dataDir);
        var sourceFiles = Directory.EnumerateFileSystemEntries(dataDir).Where(e => !LeftOut.Contains(Path.GetFileName(e)))
            .Sum(e => Directory.Exists(e) ? Directory.EnumerateFiles(e, "*", SearchOption.AllDirectories).LongCount() : 1);

        var section = ComponentPlan.NewSection(component, flushed ? "loki-flush-copy" : "loki-copy", client.SafeUrl);
        section.EngineVersion = version;
        section.Checks = new Dictionary<string, long>
        {
            [LokiChecks.IndexFiles] = indexFiles,
            [LokiChecks.ChunkFiles] = chunkFiles,
            [LokiChecks.Tenants] = tenants,
            [LokiChecks.SourceFiles] = sourceFiles,
            [LokiChecks.Flushed] = flushed ? 1 : 0,
        };
        section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // The leave-outs are never made sources; the excludes also keep them out should a source ever cover data_dir.
        return new ComponentPlan(sources, section) { Excludes = [.. LeftOut.Select(l => dataDir + "/" + l)] };
    }

    /// <summary>
    /// Index files, chunk files and tenants under <paramref name="root"/> (a data_dir or its restored copy). Chunks:
    /// every file under <c>chunks/</c> but its <c>index/</c>, flat (schema v11) or per tenant (v12+); tenants: the
    /// per-tenant folders (none in v11, whose file names encode the tenant).
    /// </summary>
    public static (long IndexFiles, long ChunkFiles, int Tenants) Count(string root)
    {
        long indexFiles = IndexPaths.Select(p => Path.Combine(root, p)).Where(Directory.Exists)
            .Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).LongCount());
        var chunks = Path.Combine(root, "chunks");
        if (!Directory.Exists(chunks))
        {
            return (indexFiles, 0, 0);
        }

        var tenantDirs = Directory.EnumerateDirectories(chunks).Where(d => Path.GetFileName(d) != "index").ToList();
        var chunkFiles = Directory.EnumerateFiles(chunks).LongCount() + tenantDirs.Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).LongCount());
        return (indexFiles, chunkFiles, tenantDirs.Count);
    }

    /// <summary>
    /// Flushes; a 404 means the endpoint is absent (not flushed, not an error). When Loki cannot be reached the
    /// component fails, unless <c>flush: optional</c>, which copies the files as they are.
    /// </summary>
    private static async Task<(bool Flushed, string? Version)> FlushAsync(EngineHttp client, bool optional, CancellationToken cancellationToken)
    {
        bool flushed;
        try
        {
            flushed = await client.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StackvaultException) when (optional)
        {
            return (false, null);
        }
        catch (StackvaultException e)
        {
            throw new StackvaultException(e.Message + " (set flush: optional to copy the files without a flush)", inner: e);
        }

        string? version;
        try
        {
            version = await client.VersionAsync("loki/api/v1/status/buildinfo", cancellationToken).ConfigureAwait(false);
        }
        catch (StackvaultException)
        {
            version = null;
        }

        return (flushed, version);
    }

    /// <summary>
    /// One source per entry of <paramref name="relative"/>: a leave-out is skipped, an index directory comes from its
    /// copy, a directory holding an index directory (chunks/ holding chunks/index/) is split one level further.
    /// </summary>
    private static void AddSources(ComponentConfig component, string dataDir, string relative, Dictionary<string, string> indexCopies, List<BackupSource> sources)
    {
        var directory = relative.Length == 0 ? dataDir : Path.Combine(dataDir, relative);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            var path = relative.Length == 0 ? name : relative + "/" + name;
            if (relative.Length == 0 && LeftOut.Contains(name))
            {
                continue;
            }

            if (indexCopies.TryGetValue(path, out var copy))
            {
                sources.Add(BackupSource.At(ComponentPlan.PathIn(component, path), copy));
            }
            else if (indexCopies.Keys.Any(i => i.StartsWith(path + "/", StringComparison.Ordinal)) && Directory.Exists(entry))
            {
                AddSources(component, dataDir, path, indexCopies, sources);
            }
            else
            {
                sources.Add(BackupSource.At(ComponentPlan.PathIn(component, path), entry));
            }
        }
    }

    /// <summary>Copies a directory tree (files with their modification times); returns the number of files.</summary>
    private static long CopyTree(string source, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        long files = 0;
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is not null)
            {
                continue; // a symlink inside the index is not Loki's; it is not followed
            }

            if (entry is DirectoryInfo directory)
            {
                files += CopyTree(directory.FullName, target, cancellationToken);
                Directory.SetLastWriteTimeUtc(target, directory.LastWriteTimeUtc);
            }
            else if (entry is FileInfo file)
            {
                try
                {
                    file.CopyTo(target);
                }
                catch (FileNotFoundException)
                {
                    continue; // removed while listed (an index file replaced by the shipper)
                }

                File.SetLastWriteTimeUtc(target, file.LastWriteTimeUtc);
                files++;
            }
        }

        Directory.SetLastWriteTimeUtc(destination, Directory.GetLastWriteTimeUtc(source));
        return files;
    }
}
