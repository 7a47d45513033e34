using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Real Prometheus TSDB blocks made by <c>promtool tsdb create-blocks-from openmetrics</c> (as bench/gen/stackgen.py
/// does): three 2-hour blocks of a few series, made once per test process, copied into bucket layouts.
/// </summary>
internal static class TsdbBlocks
{
    private static readonly Lazy<string> Made = new(Make);

    /// <summary>The directories of the three real blocks, oldest first.</summary>
    public static IReadOnlyList<string> All => [.. Directory.GetDirectories(Made.Value).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Copies block <paramref name="source"/> to <paramref name="destination"/> as block <paramref name="ulid"/>;
    /// with <paramref name="thanosFiles"/>, meta.json gets a <c>thanos</c> section listing every file with its size
    /// (as Thanos, Mimir and Cortex write it).
    /// </summary>
    public static void CopyAs(string source, string destination, string ulid, bool thanosFiles)
    {
        Directory.CreateDirectory(Path.Combine(destination, "chunks"));
        foreach (var file in new[] { "index", "chunks/000001", "tombstones" })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(destination, file));
        }

        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "meta.json")))!.AsObject();
        meta["ulid"] = ulid;
        if (thanosFiles)
        {
            var files = new JsonArray();
            foreach (var file in new[] { "chunks/000001", "index", "meta.json" })
            {
                var entry = new JsonObject { ["rel_path"] = file };
                if (file != "meta.json")
                {
                    entry["size_bytes"] = new FileInfo(Path.Combine(destination, file)).Length;
                }

                files.Add(entry);
            }

            meta["thanos"] = new JsonObject { ["labels"] = new JsonObject { ["cluster"] = "test" }, ["downsample"] = new JsonObject { ["resolution"] = 0 }, ["source"] = "receive", ["files"] = files };
        }

        File.WriteAllText(Path.Combine(destination, "meta.json"), meta.ToJsonString());
    }

    /// <summary>A fresh valid ULID-shaped id (26 Crockford base32 characters), unique per call.</summary>
    public static string NewUlid(int n) => "01J" + n.ToString("D2", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N").ToUpperInvariant()[..21].Replace('I', 'J').Replace('L', 'K').Replace('O', 'P').Replace('U', 'V');

    private static string Make()
    {
        var dir = Directory.CreateTempSubdirectory("sv-tsdb-").FullName;
        var text = new StringBuilder("# HELP m A gauge\n# TYPE m gauge\n");
        const long End = 1715061600; // a multiple of 2 h
        for (var t = End - (6 * 3600); t < End; t += 60)
        {
            for (var s = 0; s < 3; s++)
            {
                text.Append(CultureInfo.InvariantCulture, $"m{{s=\"{s}\"}} {(t % 97) + s} {t}\n");
            }
        }

        text.Append("# EOF\n");
        var input = Path.Combine(dir, "om.txt");
        File.WriteAllText(input, text.ToString());
        var output = Path.Combine(dir, "blocks");
        var start = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=2h", input, output })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || Directory.GetDirectories(output).Length != 3)
        {
            throw new InvalidOperationException($"promtool failed ({process.ExitCode}): {stderr}");
        }

        return output;
    }
}
