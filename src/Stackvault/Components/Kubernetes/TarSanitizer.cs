using System.Formats.Tar;

namespace Stackvault.Components.Kubernetes;

/// <summary>
/// Re-writes a stored pod-data archive entry by entry on its way into <c>tar xf</c> in the pod, refusing a hostile
/// one before anything of it is sent past the bad entry: absolute names, <c>..</c> components, device files, FIFOs,
/// and links (hard or symbolic) whose target is absolute or climbs out with <c>..</c>.
/// </summary>
public static class TarSanitizer
{
    /// <summary>Copies <paramref name="archive"/> to <paramref name="output"/>; returns the number of entries.</summary>
    public static async Task<int> CopyAsync(Stream archive, Stream output, CancellationToken cancellationToken)
    {
        var count = 0;
        var reader = new TarReader(archive, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    Check(entry);
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> for an entry that could write outside the target directory.</summary>
    public static void Check(TarEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (IsOutside(entry.Name))
        {
            throw new InvalidDataException($"the archive holds an entry outside its directory: {Printable(entry.Name)}");
        }

        switch (entry.EntryType)
        {
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                throw new InvalidDataException($"the archive holds a device or FIFO entry: {Printable(entry.Name)}");
            case TarEntryType.SymbolicLink or TarEntryType.HardLink when IsOutside(entry.LinkName):
                throw new InvalidDataException($"the archive holds a link pointing outside its directory: {Printable(entry.Name)}");
            case TarEntryType.Directory or TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.SymbolicLink or TarEntryType.HardLink:
                return;
            default:
                throw new InvalidDataException($"the archive holds an entry of type {entry.EntryType}: {Printable(entry.Name)}");
        }
    }

    private static bool IsOutside(string name) =>
        name.StartsWith('/') || name.Contains('\0', StringComparison.Ordinal) || name.Replace('\\', '/').Split('/').Any(part => part == "..");

    private static string Printable(string name) => new(name.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
