using System.CommandLine;
using System.Globalization;
using Stackvault.Buckets;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault bucket backup|restore|verify</c>: an engine's object-storage bucket (Mimir, Thanos, Cortex, Loki, Tempo, or any bucket with the generic layout).</summary>
internal static class BucketCommand
{
    public static readonly Option<string> Source = new("--source") { Description = "The bucket: s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX], s3://BUCKET[/PREFIX] or a directory (filesystem backend)", Required = true };
    public static readonly Option<string> Layout = new("--layout") { Description = $"{string.Join(", ", BucketLayout.Names.SkipLast(1))} or {BucketLayout.Generic.Name} (every object, no block rules)", Required = true };
    public static readonly Option<string[]> Tenants = new("--tenant") { Description = "Only this tenant (repeatable)" };
    public static readonly Option<string[]> Keep = new("--keep") { Description = "Also take what is left out by default (repeatable): marked (blocks marked for deletion), partial (blocks without meta.json), markers, index (bucket-index.json.gz / tempo tenant index), cluster (__mimir_cluster)" };
    public static readonly Option<string?> Shard = new("--shard") { Description = "Take only shard I of N (I/N, 0-based), by block/object hash: N workers cover the bucket once" };
    public static readonly Option<bool> AllowEmpty = new("--allow-empty") { Description = "Let a generic bucket or prefix be empty (without it, listing nothing is an error)" };
    public static readonly Option<int> Concurrency = new("--concurrency") { Description = "Objects transferred in parallel", DefaultValueFactory = _ => 8 };

    public static Command Create() =>
        new("bucket", "Back up, restore and check an engine's object-storage bucket (Mimir, Thanos, Cortex, Loki, Tempo, or any bucket with the generic layout)")
        {
            BucketBackupCommand.Create(),
            BucketRestoreCommand.Create(),
            BucketVerifyCommand.Create(),
        };

    public static BucketScanOptions ScanOptions(ParseResult parse) => new()
    {
        Layout = BucketLayout.Parse(parse.GetValue(Layout)),
        Tenants = parse.GetValue(Tenants) ?? [],
        Keep = [.. (parse.GetValue(Keep) ?? []).SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        Shard = BucketShard.Parse(parse.GetValue(Shard)),
        Concurrency = parse.GetValue(Concurrency),
        AllowEmpty = parse.GetValue(AllowEmpty),
    };

    /// <summary>An RFC 3339 time or Unix milliseconds, as Unix milliseconds.</summary>
    public static long? Time(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new UsageException($"{option} '{text}' is neither an RFC 3339 time nor Unix milliseconds");
    }
}
