namespace Stackvault.Components.Postgres;

/// <summary>
/// A snapshot exported by <c>pg_export_snapshot()</c> from a repeatable-read transaction held open by a psql session,
/// so the row counts and <c>pg_dump --snapshot</c> see exactly the same data. Disposing ends the transaction.
/// </summary>
public sealed class ExportedSnapshot : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _psql;
    private readonly Task<string> _stderr;

    private ExportedSnapshot(System.Diagnostics.Process psql, Task<string> stderr, string id)
    {
        _psql = psql;
        _stderr = stderr;
        Id = id;
    }

    public string Id { get; }

    public static async Task<ExportedSnapshot> ExportAsync(PostgresConnection connection, string database, CancellationToken cancellationToken)
    {
        var psql = connection.Start("psql", ["-X", "-w", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "--dbname", connection.ForDatabase(database)], keepStdin: true);
        var stderr = psql.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await psql.StandardInput.WriteLineAsync("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;".AsMemory(), cancellationToken).ConfigureAwait(false);
            await psql.StandardInput.WriteLineAsync("SELECT pg_export_snapshot();".AsMemory(), cancellationToken).ConfigureAwait(false);
            await psql.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            var id = (await psql.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false))?.Trim();
            if (string.IsNullOrEmpty(id))
            {
                throw new IOException("psql could not export a snapshot" + FirstLine(await FinishAsync(psql, stderr).ConfigureAwait(false)));
            }

            return new ExportedSnapshot(psql, stderr, id);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            if (e is not IOException { Message: var m } || !m.StartsWith("psql could not export", StringComparison.Ordinal))
            {
                await FinishAsync(psql, stderr).ConfigureAwait(false);
            }

            psql.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _psql.StandardInput.WriteLineAsync("COMMIT;").ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        await FinishAsync(_psql, _stderr).ConfigureAwait(false);
        _psql.Dispose();
    }

    private static string FirstLine(string stderr)
    {
        var line = PostgresConnection.ErrorLine(stderr);
        return line.Length == 0 ? string.Empty : ": " + (line.Length > 500 ? line[..500] : line);
    }

    private static async Task<string> FinishAsync(System.Diagnostics.Process psql, Task<string> stderr)
    {
        try
        {
            psql.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await psql.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            psql.Kill(entireProcessTree: true);
        }

        return await stderr.ConfigureAwait(false);
    }
}
