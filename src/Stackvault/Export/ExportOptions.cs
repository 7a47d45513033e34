namespace Stackvault.Export;

/// <summary>What <see cref="TarExporter"/> writes.</summary>
public sealed class ExportOptions
{
    public ExportFormat Format { get; init; } = ExportFormat.Tar;

    public IReadOnlyList<string> Includes { get; init; } = [];

    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Write device nodes and FIFOs as tar entries; without it they are left out with a warning (docs/design.md 15.4).</summary>
    public bool SpecialFiles { get; init; }

    /// <summary>zstd level of <see cref="ExportFormat.TarZst"/>.</summary>
    public int CompressionLevel { get; init; } = 3;

    /// <summary>
    /// Counters of the files written and their bytes, against the totals of the snapshot's summary when the whole
    /// snapshot is exported (unknown with patterns or without a summary); null when nobody watches.
    /// </summary>
    public Progress.OperationProgress? Progress { get; init; }

    /// <summary>"tar.zst" or "tar"; null infers from the output name (<c>.zst</c>, <c>.tzst</c>) and defaults to tar.</summary>
    public static ExportFormat ParseFormat(string? format, string? outputName) => format switch
    {
        "tar" => ExportFormat.Tar,
        "tar.zst" or "tzst" => ExportFormat.TarZst,
        null => outputName is not null && (outputName.EndsWith(".zst", StringComparison.Ordinal) || outputName.EndsWith(".tzst", StringComparison.Ordinal)) ? ExportFormat.TarZst : ExportFormat.Tar,
        _ => throw new Errors.UsageException($"unknown export format '{format}': use tar or tar.zst"),
    };
}
