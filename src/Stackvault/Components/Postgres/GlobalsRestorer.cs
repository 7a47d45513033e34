using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Stackvault.Errors;

namespace Stackvault.Components.Postgres;

/// <summary>What a globals restore did: the roles it created, the existing roles it left as they were, and how many
/// <c>DROP ROLE</c> statements it left out.</summary>
public sealed record GlobalsRestoreResult(IReadOnlyList<string> Created, IReadOnlyList<string> KeptExisting, int DropsSkipped);

/// <summary>
/// Restores the <c>globals.sql</c> a backup stores (<c>pg_dumpall --globals-only</c>: roles, their settings, role
/// memberships), plain or gzipped, so that an existing role is never dropped or changed: <c>DROP ROLE</c> lines
/// (<c>--clean</c>) are left out; for a role that already exists its <c>CREATE ROLE</c> and <c>ALTER ROLE</c> lines are
/// left out (its attributes and password stay as they are) and it is reported as kept; grants are applied (they only
/// add). The rest runs in one transaction (<c>psql --single-transaction -v ON_ERROR_STOP=1</c>) in the maintenance
/// database: an error leaves no role half-restored. Other psql meta-commands than <c>\restrict</c>/<c>\unrestrict</c>
/// (which are dropped) are refused.
/// </summary>
public sealed partial class GlobalsRestorer(PostgresConnection connection)
{
    private const long MaxBytes = 64L << 20;

    public async Task<GlobalsRestoreResult> RestoreAsync(string file, CancellationToken cancellationToken)
    {
        var text = await ReadAsync(file, cancellationToken).ConfigureAwait(false);
        var existing = (await connection.QueryAsync(connection.MaintenanceDatabase, "SELECT rolname FROM pg_roles", cancellationToken).ConfigureAwait(false))
            .Select(row => row[0]).ToHashSet(StringComparer.Ordinal);
        var created = new List<string>();
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        var drops = 0;
        var script = new StringBuilder();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.StartsWith("DROP ROLE ", StringComparison.Ordinal))
            {
                drops++;
                continue;
            }

            if (line.StartsWith('\\'))
            {
                if (line.StartsWith("\\restrict", StringComparison.Ordinal) || line.StartsWith("\\unrestrict", StringComparison.Ordinal))
                {
                    continue;
                }

                throw new StackvaultException($"{file}: line {number} is a psql meta-command ({Shorten(line)}); a globals file from pg_dumpall --globals-only holds none");
            }

            if (RoleStatement().Match(line) is { Success: true } match)
            {
                var role = Unquote(match.Groups["name"].Value);
                if (existing.Contains(role))
                {
                    kept.Add(role);
                    continue;
                }

                if (match.Groups["verb"].Value == "CREATE")
                {
                    created.Add(role);
                }
            }

            script.Append(line).Append('\n');
        }

        if (!text.Contains("PostgreSQL database cluster dump", StringComparison.Ordinal))
        {
            throw new StackvaultException($"{file} is not a pg_dumpall globals file (no \"PostgreSQL database cluster dump\" header)");
        }

        await RunAsync(script.ToString(), cancellationToken).ConfigureAwait(false);
        return new GlobalsRestoreResult(created, [.. kept], drops);
    }

    private async Task RunAsync(string script, CancellationToken cancellationToken)
    {
        using var process = connection.Start("psql", ["-X", "-w", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--dbname", connection.ForDatabase(connection.MaintenanceDatabase)], keepStdin: true);
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await using (var input = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false)))
            {
                await input.WriteAsync(script.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // psql stopped reading: its exit code and stderr say why
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var line = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
            throw new StackvaultException($"restoring the globals failed, no role was changed: psql exited with code {process.ExitCode}: {Shorten(line)}");
        }
    }

    private static async Task<string> ReadAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            var format = DumpFormats.Detect(file);
            if (format == DumpFormat.Custom)
            {
                throw new UsageException($"{file} is a pg_dump custom-format dump, not a globals file");
            }

            await using var raw = File.OpenRead(file);
            await using var source = format == DumpFormat.GzipPlainSql ? new GZipStream(raw, CompressionMode.Decompress) : (Stream)raw;
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw new UsageException($"{file} is larger than {MaxBytes >> 20} MiB: not a globals file");
                }

                buffer.Write(chunk, 0, read);
            }

            return new UTF8Encoding(false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Replace("\r\n", "\n", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new StackvaultException($"the globals file {file} cannot be read: {Shorten(e.Message)}", e);
        }
    }

    private static string Unquote(string name) =>
        name.StartsWith('"') ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;

    private static string Shorten(string line) => line.Length > 200 ? line[..200] : line;

    [GeneratedRegex("""^(?<verb>CREATE|ALTER) ROLE (?<name>"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)[ ;]""")]
    private static partial Regex RoleStatement();
}
