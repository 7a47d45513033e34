using System.IO.Compression;
using System.Text;

namespace Stackvault.Components.Postgres;

/// <summary>
/// Streams a plain-SQL dump (<c>pg_dump -Fp</c>, optionally gzipped and gunzipped here with <see cref="GZipStream"/>,
/// no temporary file; a local file or one read straight out of a snapshot, <see cref="DumpSource"/>) into
/// <c>psql -v ON_ERROR_STOP=1</c> connected to one database. Lines are passed on as they are,
/// outside <c>COPY ... FROM stdin</c> data a <c>\connect</c> or <c>CREATE DATABASE</c> (a <c>pg_dump -C</c> dump,
/// which would write into another database than the one being restored) is refused. The dump must end with
/// pg_dump's <c>-- PostgreSQL database dump complete</c> line: a truncated dump (psql silently drops a last partial
/// statement) fails instead of passing. Every failure is an <see cref="IOException"/> with a one-line reason: the
/// dump's own fault first (bad gzip, truncation), else psql's first error line.
/// </summary>
internal static class PlainSqlLoader
{
    public const string CompleteMarker = "-- PostgreSQL database dump complete";

    public static async Task LoadAsync(PostgresConnection connection, string database, DumpSource source, bool gzip, CancellationToken cancellationToken)
    {
        using var process = connection.Start("psql", ["-X", "-w", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", connection.ForDatabase(database)], keepStdin: true);
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        Exception? feedError = null;
        try
        {
            // Latin-1 maps each byte to one char and back: the dump's bytes reach psql unchanged, whatever its encoding.
            await using var input = new StreamWriter(process.StandardInput.BaseStream, Encoding.Latin1, 1 << 16) { NewLine = "\n" };
            await FeedAsync(source, gzip, input, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // psql exiting early (an SQL error) closes the pipe: its own message is the reason then.
            feedError = e;
        }
        finally
        {
            try
            {
                process.StandardInput.Dispose();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // the pipe is already broken: psql has exited
            }
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);

        // A dump that is itself broken (bad gzip, truncated, pg_dump -C) is the reason, even when psql then failed on its cut end.
        if (feedError is InvalidDataException)
        {
            throw new IOException($"the dump {source.Name} is unusable: {Shorten(feedError.Message)}", feedError);
        }

        if (process.ExitCode != 0)
        {
            var line = PostgresConnection.ErrorLine(errors);
            throw new IOException($"psql exited with code {process.ExitCode}" + (line.Length > 0 ? ": " + Shorten(line) : string.Empty));
        }

        if (feedError is not null)
        {
            throw new IOException($"reading the dump {source.Name} failed: {Shorten(feedError.Message)}", feedError);
        }
    }

    private static async Task FeedAsync(DumpSource dump, bool gzip, StreamWriter psql, CancellationToken cancellationToken)
    {
        await using var raw = dump.Open();
        await using var content = gzip ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(content, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        var inCopy = false;
        var lastLine = string.Empty;
        var number = 0L;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (inCopy)
            {
                inCopy = line != "\\.";
            }
            else if (line.StartsWith("COPY ", StringComparison.Ordinal) && line.EndsWith("FROM stdin;", StringComparison.Ordinal))
            {
                inCopy = true;
            }
            else if (line.StartsWith("\\connect", StringComparison.Ordinal) || line.StartsWith("\\c ", StringComparison.Ordinal)
                || line.StartsWith("CREATE DATABASE ", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"line {number} of the dump creates or connects to a database (a pg_dump -C dump); make the dump without -C");
            }

            // the marker is followed by a "--" line and, from PostgreSQL 17.6, by "\unrestrict KEY"
            if (line.Length > 0 && line != "--" && !line.StartsWith("\\unrestrict", StringComparison.Ordinal))
            {
                lastLine = line;
            }

            await psql.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        if (number == 0)
        {
            throw new InvalidDataException("the dump holds no SQL");
        }

        if (inCopy || lastLine.Trim() != CompleteMarker)
        {
            throw new InvalidDataException($"the dump is incomplete: it does not end with \"{CompleteMarker}\" (truncated?)");
        }

        await psql.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Shorten(string line) => line.Length > 500 ? line[..500] : line;
}
