using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Export;
using Stackvault.Locking;
using Stackvault.Progress;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault export SNAPSHOT [-o FILE|-]</c>: streams a snapshot as a PAX tar (or tar.zst) to stdout or a file.</summary>
internal static class ExportCommand
{
    private static readonly Argument<string> SnapshotRef = new("snapshot") { Description = "Snapshot id (prefix) or 'latest'" };
    private static readonly Option<string?> Format = new("--format") { Description = "tar or tar.zst (default: tar.zst when FILE ends in .zst or .tzst, else tar)" };
    private static readonly Option<string?> OutputFile = new("--output", "-o") { Description = "Write the archive to FILE (via FILE.partial, renamed when complete); '-' or none: stdout, never a terminal" };
    private static readonly Option<string[]> Includes = new("--include", "-i") { Description = "Export only paths matching the pattern (repeatable)" };
    private static readonly Option<string[]> Excludes = new("--exclude", "-e") { Description = "Leave out paths matching the pattern (repeatable)" };
    private static readonly Option<bool> SpecialFiles = new("--special-files") { Description = "Also write the snapshot's device nodes and FIFOs as tar entries (left out by default: extracting them as root creates device nodes)" };
    private static readonly Option<string?> Host = new("--host") { Description = "With 'latest': the latest snapshot of this host" };

    public static Command Create()
    {
        var command = new Command("export", "Stream a snapshot as a POSIX (PAX) tar archive, optionally zstd-compressed. A failed export to stdout ends without the end-of-archive blocks (and without the end of the zstd frame); use 'set -o pipefail'")
        {
            SnapshotRef, Format, OutputFile, Includes, Excludes, SpecialFiles, Host,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var file = parse.GetValue(OutputFile) is { } name && name != "-" ? name : null;
        var progress = new OperationProgress();
        var options = new ExportOptions
        {
            Progress = progress,
            Format = ExportOptions.ParseFormat(parse.GetValue(Format), file),
            Includes = parse.GetValue(Includes) ?? [],
            Excludes = parse.GetValue(Excludes) ?? [],
            SpecialFiles = parse.GetValue(SpecialFiles),
        };
        if (file is null && !Console.IsOutputRedirected)
        {
            throw new UsageException("refusing to write a binary archive to a terminal: use -o FILE or redirect stdout");
        }

        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "export", cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        var (id, snapshot) = await repository.FindSnapshotAsync(parse.GetValue(SnapshotRef)!, parse.GetValue(Host), cancellationToken);
        var exporter = new TarExporter(repository, options);
        ExportResult result;

        // stdout holds the archive when no file is given: then status lines go to stderr, with the summary.
        using (var display = new ProgressDisplay(output, progress, repository.Time, "export", statusOnStderr: file is null))
        {
            if (file is null)
            {
                await using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
                result = await exporter.ExportAsync(snapshot, stdout, cancellationToken);
            }
            else
            {
                await using var archive = new ArchiveFile(file);
                result = await exporter.ExportAsync(snapshot, archive.Stream, cancellationToken);
                await archive.CommitAsync(cancellationToken);
            }

            progress.Finish();
            display.Stop();
        }

        var summary = new ExportSummaryJson(
            SnapshotId: id.ToString(),
            Output: file ?? "-",
            Format: options.Format == ExportFormat.TarZst ? "tar.zst" : "tar",
            Files: result.Files,
            Dirs: result.Directories,
            HardLinks: result.HardLinks,
            Others: result.Others,
            Bytes: result.Bytes,
            Warnings: result.Warnings);
        if (file is null)
        {
            // stdout holds the archive: everything else goes to stderr.
            foreach (var warning in result.Warnings)
            {
                await Console.Error.WriteLineAsync("warning: " + warning);
            }

            if (output.Json)
            {
                output.LineToStderr("summary", summary, CliJsonContext.Relaxed.ExportSummaryJson);
            }
            else
            {
                output.Info($"exported snapshot {id.ToShortString()}: {result.Files} files, {result.Directories} dirs, {Units.Bytes(result.Bytes)}");
            }

            return (int)ExitCode.Ok;
        }

        foreach (var warning in result.Warnings)
        {
            output.Warn(warning);
        }

        if (output.Json)
        {
            output.Line("summary", summary, CliJsonContext.Relaxed.ExportSummaryJson);
        }
        else
        {
            output.Result($"exported snapshot {id.ToShortString()} to {file}: {result.Files} files, {result.Directories} dirs, {Units.Bytes(result.Bytes)}");
        }

        return (int)ExitCode.Ok;
    }
}

/// <summary>The <c>summary</c> record of <c>export</c> (on stderr when the archive goes to stdout).</summary>
internal sealed record ExportSummaryJson(
    string SnapshotId,
    string Output,
    string Format,
    long Files,
    long Dirs,
    long HardLinks,
    long Others,
    long Bytes,
    IReadOnlyList<string> Warnings);
