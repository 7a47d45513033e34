using System.Diagnostics;
using System.Text;
using Stackvault.Configuration;

namespace Stackvault.Components.Postgres;

/// <summary>
/// How Stackvault reaches a PostgreSQL server: a libpq key=value DSN without a password, the password (if any) handed
/// to the client programs only through <c>PGPASSWORD</c> in their environment, never on a command line or in a
/// message. Errors name the program and its first stderr line (libpq never echoes a password).
/// </summary>
public sealed class PostgresConnection
{
    private readonly SecretValue? _password;

    public PostgresConnection(string dsn, SecretValue? password)
    {
        Dsn = dsn.Trim();
        _password = password;
        Database = ParseKeywords(Dsn).GetValueOrDefault("dbname");
    }

    /// <summary>The DSN as configured (it holds no password).</summary>
    public string Dsn { get; }

    /// <summary>The DSN's <c>dbname</c>, if it names one.</summary>
    public string? Database { get; }

    /// <summary>A database to run administrative statements in: the DSN's own, else <c>postgres</c>.</summary>
    public string MaintenanceDatabase => Database ?? "postgres";

    /// <summary>The DSN with <c>dbname</c> set to <paramref name="database"/> (libpq takes the last value of a keyword).</summary>
    public string ForDatabase(string database) => (Dsn.Length == 0 ? string.Empty : Dsn + " ") + "dbname=" + QuoteValue(database);

    /// <summary>A start info for a client program with the password in its environment, stdin/stdout/stderr redirected.</summary>
    public ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (_password is not null)
        {
            start.Environment["PGPASSWORD"] = _password.Reveal();
        }

        return start;
    }

    /// <summary>Starts a client program; a program that cannot start is an <see cref="IOException"/>.</summary>
    public Process Start(string program, IEnumerable<string> arguments, bool keepStdin = false)
    {
        try
        {
            var process = Process.Start(StartInfo(program, arguments)) ?? throw new IOException($"{program} could not start");
            if (!keepStdin)
            {
                process.StandardInput.Close();
            }

            return process;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"{program} could not start: {e.Message}", e);
        }
    }

    /// <summary>Runs a client program to its end and returns its stdout; a non-zero exit throws an <see cref="IOException"/>.</summary>
    public async Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var line = ErrorLine(errors);
            if (line.Length > 500)
            {
                line = line[..500];
            }

            throw new IOException($"{program} exited with code {process.ExitCode}" + (line.Length > 0 ? ": " + line : string.Empty));
        }

        return output;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with <c>psql</c> in <paramref name="database"/> (one implicit transaction) and returns
    /// the rows, fields separated by U+001F.
    /// </summary>
    public async Task<IReadOnlyList<string[]>> QueryAsync(string database, string sql, CancellationToken cancellationToken, string? snapshot = null)
    {
        string[] arguments = snapshot is null
            ? ["-X", "-w", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\u001f", "--dbname", ForDatabase(database), "-c", sql]
            : ["-X", "-w", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\u001f", "--dbname", ForDatabase(database),
                "-c", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "-c", "SET TRANSACTION SNAPSHOT " + Literal(snapshot), "-c", sql, "-c", "COMMIT"];
        var output = await RunAsync("psql", arguments, cancellationToken).ConfigureAwait(false);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\u001f'))];
    }

    /// <summary>An SQL string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>An SQL identifier, always quoted.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A libpq keyword value, single-quoted with <c>\</c> and <c>'</c> escaped.</summary>
    public static string QuoteValue(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>The keywords of a key=value DSN (last value wins); a URI DSN yields none.</summary>
    public static Dictionary<string, string> ParseKeywords(string dsn)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (dsn.StartsWith("postgres://", StringComparison.Ordinal) || dsn.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return result;
        }

        var i = 0;
        while (i < dsn.Length)
        {
            while (i < dsn.Length && char.IsWhiteSpace(dsn[i]))
            {
                i++;
            }

            var keyStart = i;
            while (i < dsn.Length && dsn[i] != '=' && !char.IsWhiteSpace(dsn[i]))
            {
                i++;
            }

            var key = dsn[keyStart..i];
            while (i < dsn.Length && char.IsWhiteSpace(dsn[i]))
            {
                i++;
            }

            if (i >= dsn.Length || dsn[i] != '=')
            {
                break;
            }

            i++;
            while (i < dsn.Length && char.IsWhiteSpace(dsn[i]))
            {
                i++;
            }

            var value = new StringBuilder();
            if (i < dsn.Length && dsn[i] == '\'')
            {
                i++;
                while (i < dsn.Length && dsn[i] != '\'')
                {
                    if (dsn[i] == '\\' && i + 1 < dsn.Length)
                    {
                        i++;
                    }

                    value.Append(dsn[i++]);
                }

                i++;
            }
            else
            {
                while (i < dsn.Length && !char.IsWhiteSpace(dsn[i]))
                {
                    if (dsn[i] == '\\' && i + 1 < dsn.Length)
                    {
                        i++;
                    }

                    value.Append(dsn[i++]);
                }
            }

            if (key.Length > 0)
            {
                result[key] = value.ToString();
            }
        }

        return result;
    }

    /// <summary>
    /// The line of a PostgreSQL tool's stderr that says why it failed: the first <c>ERROR:</c>/<c>FATAL:</c>/<c>PANIC:</c>
    /// line (NOTICEs before it, e.g. "role ... is already a member", are not the reason), else the first line.
    /// </summary>
    internal static string ErrorLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.Contains("ERROR:", StringComparison.Ordinal) || l.Contains("FATAL:", StringComparison.Ordinal) || l.Contains("PANIC:", StringComparison.Ordinal))
            ?? lines.FirstOrDefault() ?? string.Empty;
    }
}
