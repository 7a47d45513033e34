using Stackvault.Errors;

namespace Stackvault.Components.Postgres;

/// <summary>The kinds of dump <c>pg-restore</c> takes, told apart by content, never by file name.</summary>
public enum DumpFormat
{
    /// <summary><c>pg_dump -Fc</c>: starts with <c>PGDMP</c>; loaded with <c>pg_restore</c>.</summary>
    Custom,

    /// <summary><c>pg_dump -Fp</c> text; streamed into <c>psql</c>.</summary>
    PlainSql,

    /// <summary>Gzipped <c>pg_dump -Fp</c> text (starts with 1f 8b, e.g. <c>dop-YYYYMMDDHHMM.dump.gz</c>); gunzipped in-process into <c>psql</c>.</summary>
    GzipPlainSql,
}

/// <summary>Detects a dump's <see cref="DumpFormat"/> from its first bytes.</summary>
public static class DumpFormats
{
    public static DumpFormat Detect(DumpSource source)
    {
        var file = source.Name;
        Span<byte> head = stackalloc byte[5];
        int read;
        try
        {
            using var stream = source.Open();
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"the dump {file} cannot be read: {e.Message}", e);
        }

        if (read == 0)
        {
            throw new UsageException($"the dump {file} is empty");
        }

        if (read == 5 && head.SequenceEqual("PGDMP"u8))
        {
            return DumpFormat.Custom;
        }

        if (read >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return DumpFormat.GzipPlainSql;
        }

        // Plain SQL is text: refuse what is plainly binary (a NUL or another control byte in the first bytes).
        foreach (var b in head[..read])
        {
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t')
            {
                throw new UsageException($"the dump {file} is neither a pg_dump custom-format file (PGDMP), gzip, nor SQL text");
            }
        }

        return DumpFormat.PlainSql;
    }
}
