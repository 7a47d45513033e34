using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Postgres;

/// <summary>What the <c>pg-restore</c> tests share: real pg_dump/pg_dumpall output from the fixture's server, gzip, and
/// a config whose postgres component <c>pg</c> reaches it (as the owner role, or as a superuser; with
/// <c>hooksLog</c>, restore hooks that append "stop" and "start" to that file).</summary>
internal static class PgDumps
{
    public static string Config(PostgresServerFixture server, TempDirectory temp, bool superuser = false, string? hooksLog = null) =>
        JobManifests.WriteConfig(temp, temp.Sub("repo"), superuser
            ? $"""
                components:
                  pg: {"{"} type: postgres, dsn: "host=127.0.0.1 port={server.Port} user={PostgresServerFixture.Superuser} dbname=postgres", password: "{PostgresServerFixture.SuperuserPassword}" {"}"}
                """
            : $"""
                components:
                  pg:
                    type: postgres
                    dsn: "{server.Dsn("postgres")}"
                    password: "{PostgresServerFixture.Password}"
                {(hooksLog is null ? string.Empty : $"""
                    restore_hooks:
                      stop: [{"{"} command: [sh, -c, "echo stop >> {hooksLog}"] {"}"}]
                      start: [{"{"} command: [sh, -c, "echo start >> {hooksLog}"] {"}"}]
                """)}
                """);

    /// <summary>pg_dump of a database in <paramref name="format"/> (-Fp, -Fc), as the superuser over the socket.</summary>
    public static Task<byte[]> PgDumpAsync(PostgresServerFixture server, string database, string format) =>
        RunAsync("pg_dump", format, "-h", server.SocketDirectory, "-p", Port(server), "-U", "postgres", "-d", database);

    /// <summary>pg_dumpall --globals-only --clean (with DROP ROLE / DROP TABLESPACE lines).</summary>
    public static Task<byte[]> GlobalsAsync(PostgresServerFixture server) =>
        RunAsync("pg_dumpall", "--globals-only", "--clean", "-h", server.SocketDirectory, "-p", Port(server), "-U", "postgres");

    public static void Gzip(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
    }

    public static async Task<byte[]> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await copy;
        Assert.True(process.ExitCode == 0, $"{program} failed: {await stderr}");
        return output.ToArray();
    }

    private static string Port(PostgresServerFixture server) => server.Port.ToString(CultureInfo.InvariantCulture);
}
