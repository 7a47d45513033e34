using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Stackvault.Errors;

namespace Stackvault.Components.Postgres;

/// <summary>What a globals restore did: the roles and tablespaces it created, the existing ones it left as they were,
/// and how many <c>DROP ROLE</c>/<c>DROP TABLESPACE</c> statements it left out.</summary>
public sealed record GlobalsRestoreResult(IReadOnlyList<string> Created, IReadOnlyList<string> KeptExisting, int DropsSkipped)
{
    public IReadOnlyList<string> TablespacesCreated { get; init; } = [];

    public IReadOnlyList<string> TablespacesKept { get; init; } = [];
}

/// <summary>
/// Restores the <c>globals.sql</c> a backup stores (<c>pg_dumpall --globals-only</c>: roles, their settings, role
/// memberships, tablespaces), plain or gzipped, a local file or read out of a snapshot, so that an existing role or
/// tablespace is never dropped or changed: <c>DROP ROLE</c>/<c>DROP TABLESPACE</c> lines (<c>--clean</c>) are left
/// out; for a role that already exists its <c>CREATE ROLE</c> and <c>ALTER ROLE</c> lines are left out (its attributes
/// and password stay as they are) and it is reported as kept; likewise an existing tablespace's <c>CREATE</c>,
/// <c>ALTER</c>, <c>REVOKE</c>, <c>COMMENT</c> and <c>SECURITY LABEL</c> statements; grants are applied (they only
/// add). The rest runs in one transaction (<c>psql --single-transaction -v ON_ERROR_STOP=1</c>) in the maintenance
/// database: an error leaves no role half-restored. A missing tablespace is created afterwards, with its own
/// statements (PostgreSQL refuses <c>CREATE TABLESPACE</c> inside a transaction; its owner is a role restored first).
/// Other psql meta-commands than <c>\restrict</c>/<c>\unrestrict</c> (which are dropped) are refused.
/// </summary>
public sealed partial class GlobalsRestorer(PostgresConnection connection)
{
    private const long MaxBytes = 64L << 20;

    public Task<GlobalsRestoreResult> RestoreAsync(string file, CancellationToken cancellationToken) =>
        RestoreAsync(DumpSource.FromFile(file), cancellationToken);

    public async Task<GlobalsRestoreResult> RestoreAsync(DumpSource source, CancellationToken cancellationToken)
    {
        var file = source.Name;
        var text = await ReadAsync(source, cancellationToken).ConfigureAwait(false);
        var existing = await NamesAsync("SELECT rolname FROM pg_roles", cancellationToken).ConfigureAwait(false);
        var existingTablespaces = await NamesAsync("SELECT spcname FROM pg_tablespace", cancellationToken).ConfigureAwait(false);
        var created = new List<string>();
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        var tablespacesCreated = new List<string>();
        var tablespacesKept = new SortedSet<string>(StringComparer.Ordinal);
        var drops = 0;
        var script = new StringBuilder();
        var tablespaceScript = new StringBuilder();
        StringBuilder? continuing = null;
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (continuing is not null)
            {
                // the rest of a multi-line tablespace statement (a COMMENT with line breaks) goes where its start went
                continuing.Append(line).Append('\n');
                continuing = line.TrimEnd().EndsWith(';') ? null : continuing;
                continue;
            }

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
            else if (TablespaceStatement().Match(line) is { Success: true } statement)
            {
                var tablespace = Unquote(statement.Groups["name"].Value);
                var verb = statement.Groups["verb"].Value;
                StringBuilder? into;
                if (verb == "DROP")
                {
                    drops++;
                    into = null;
                }
                else if (existingTablespaces.Contains(tablespace))
                {
                    tablespacesKept.Add(tablespace);
                    into = verb == "GRANT" ? script : null;
                }
                else
                {
                    if (verb == "CREATE")
                    {
                        tablespacesCreated.Add(tablespace);
                    }

                    into = tablespaceScript;
                }

                into?.Append(line).Append('\n');
                continuing = line.TrimEnd().EndsWith(';') ? null : into ?? new StringBuilder();
                continue;
            }

            script.Append(line).Append('\n');
        }

        if (!text.Contains("PostgreSQL database cluster dump", StringComparison.Ordinal))
        {
            throw new StackvaultException($"{file} is not a pg_dumpall globals file (no \"PostgreSQL database cluster dump\" header)");
        }

        await RunAsync(script.ToString(), singleTransaction: true, "restoring the globals failed, no role was changed", cancellationToken).ConfigureAwait(false);
        if (tablespaceScript.Length > 0)
        {
            await RunAsync(tablespaceScript.ToString(), singleTransaction: false,
                $"the roles were restored ({created.Count} created), but creating the tablespace(s) {string.Join(", ", tablespacesCreated)} failed", cancellationToken).ConfigureAwait(false);
        }

        return new GlobalsRestoreResult(created, [.. kept], drops) { TablespacesCreated = tablespacesCreated, TablespacesKept = [.. tablespacesKept] };
    }

    private async Task<HashSet<string>> NamesAsync(string sql, CancellationToken cancellationToken) =>
        (await connection.QueryAsync(connection.MaintenanceDatabase, sql, cancellationToken).ConfigureAwait(false))
            .Select(row => row[0]).ToHashSet(StringComparer.Ordinal);

    private async Task RunAsync(string script, bool singleTransaction, string failure, CancellationToken cancellationToken)
    {
        using var process = connection.Start("psql", ["-X", "-w", "-q", "-v", "ON_ERROR_STOP=1", .. singleTransaction ? ["--single-transaction"] : Array.Empty<string>(), "--dbname", connection.ForDatabase(connection.MaintenanceDatabase)], keepStdin: true);
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
            var line = PostgresConnection.ErrorLine(errors);
            throw new StackvaultException($"{failure}: psql exited with code {process.ExitCode}: {Shorten(line)}");
        }
    }

    private static async Task<string> ReadAsync(DumpSource source, CancellationToken cancellationToken)
    {
        var file = source.Name;
        try
        {
            var format = DumpFormats.Detect(source);
            if (format == DumpFormat.Custom)
            {
                throw new UsageException($"{file} is a pg_dump custom-format dump, not a globals file");
            }

            await using var raw = source.Open();
            await using var content = format == DumpFormat.GzipPlainSql ? new GZipStream(raw, CompressionMode.Decompress) : raw;
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int read;
            while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
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

    /// <summary>pg_dumpall's tablespace statements: CREATE/ALTER/DROP TABLESPACE, GRANT/REVOKE ... ON TABLESPACE, COMMENT and SECURITY LABEL on one.</summary>
    [GeneratedRegex("""^(?<verb>CREATE|ALTER|DROP|GRANT|REVOKE|COMMENT|SECURITY) (?:TABLESPACE (?:IF EXISTS )?|(?:.* )?ON TABLESPACE )(?<name>"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)[ ;]""")]
    private static partial Regex TablespaceStatement();

    [GeneratedRegex("""^(?<verb>CREATE|ALTER) ROLE (?<name>"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)[ ;]""")]
    private static partial Regex RoleStatement();
}
