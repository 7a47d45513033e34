using Stackvault.Errors;

namespace Stackvault.Components.Prometheus;

/// <summary>
/// A TSDB snapshot taken through the admin API, alive for the time of one backup: its directory
/// <c>&lt;data_dir&gt;/snapshots/&lt;name&gt;</c> holds hard links to the blocks (and the head written as a block).
/// Prometheus has no API to delete a snapshot, so disposing deletes that directory, and only that one: the name
/// Prometheus returned must be a plain directory name, and the directory must be a real directory directly under
/// <c>&lt;data_dir&gt;/snapshots/</c>. Use it with <c>await using</c> so that a failed backup deletes it too.
/// </summary>
public sealed class PrometheusSnapshot : IAsyncDisposable
{
    private const int MaxNameLength = 255;
    private bool _deleted;

    private PrometheusSnapshot(string name, string directory)
    {
        Name = name;
        Directory = directory;
    }

    /// <summary>The name Prometheus returned, for example <c>20261121T064340Z-441337006f0e7a42</c>.</summary>
    public string Name { get; }

    /// <summary>The absolute path of the snapshot directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// Asks Prometheus for a snapshot and finds it under <paramref name="dataDirectory"/> (Prometheus's --storage.tsdb.path,
    /// as this process sees it). When the snapshot directory turns out to be unusable, it is deleted before the error is thrown.
    /// </summary>
    public static async Task<PrometheusSnapshot> CreateAsync(PrometheusClient client, string dataDirectory, bool skipHead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var snapshots = Path.Join(Path.GetFullPath(dataDirectory), "snapshots");
        var name = await client.CreateSnapshotAsync(skipHead, cancellationToken).ConfigureAwait(false);
        if (!IsPlainName(name))
        {
            throw new StackvaultException($"Prometheus at {client.BaseUri} returned the snapshot name '{PrometheusResponse.OneLine(name)}', which is not a plain directory name; nothing was deleted");
        }

        var directory = Path.Join(snapshots, name);
        var info = new DirectoryInfo(directory);
        if (!info.Exists)
        {
            throw new StackvaultException($"Prometheus at {client.BaseUri} created snapshot {name}, but {directory} does not exist: is {dataDirectory} its --storage.tsdb.path, as seen from here? Delete snapshots/{name} in its data directory by hand");
        }

        var snapshot = new PrometheusSnapshot(name, directory);
        if (info.LinkTarget is not null)
        {
            await snapshot.DisposeAsync().ConfigureAwait(false);
            throw new StackvaultException($"the Prometheus snapshot {directory} is a symbolic link, not a directory; the link was removed and nothing was read");
        }

        return snapshot;
    }

    /// <summary>True for names made of letters, digits, '-', '_' and '.', that are not '.' or '..' and contain no separator.</summary>
    public static bool IsPlainName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && name != "." && name != ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// Deletes the snapshot directory (a symbolic link in its place is only unlinked; links inside are never followed).
    /// Throws a StackvaultException naming the directory when it cannot: a forgotten snapshot keeps old blocks on disk.
    /// Calling it again after a failure retries.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (_deleted)
        {
            return ValueTask.CompletedTask;
        }

        var parent = Path.GetDirectoryName(Directory);
        if (parent is null || Path.GetFileName(parent) != "snapshots" || Path.GetFileName(Directory) != Name)
        {
            throw new InvalidOperationException($"refusing to delete {Directory}: not a directory directly under snapshots/");
        }

        try
        {
            var info = new DirectoryInfo(Directory);
            if (info.LinkTarget is not null)
            {
                File.Delete(Directory);
            }
            else if (info.Exists)
            {
                info.Delete(recursive: true);
            }

            _deleted = true;
            return ValueTask.CompletedTask;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StackvaultException($"could not delete the Prometheus snapshot {Directory}: {PrometheusResponse.OneLine(ex.Message)}; delete it by hand, it keeps old blocks on disk", inner: ex);
        }
    }
}
