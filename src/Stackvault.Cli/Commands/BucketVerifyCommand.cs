using System.CommandLine;
using Stackvault.Buckets;
using Stackvault.Cli.Output;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault bucket verify</c>: the block report of a bucket, without backing anything up. Exit 1 when a block is corrupt.</summary>
internal static class BucketVerifyCommand
{
    public static Command Create()
    {
        var command = new Command("verify", "Report every block of a bucket (complete, partial, corrupt, marked; overlaps per tenant), or a generic bucket's object count and bytes, without backing up")
        {
            BucketCommand.Source, BucketCommand.Layout, BucketCommand.Tenants, BucketCommand.Keep, BucketCommand.Shard, BucketCommand.Concurrency, BucketCommand.AllowEmpty,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var options = BucketCommand.ScanOptions(parse);
        await using var store = BucketStores.Open(parse.GetValue(BucketCommand.Source)!, Environment.GetEnvironmentVariable, options.Concurrency);
        var report = await new BucketScanner(store, options).ScanAsync(cancellationToken);
        if (output.Json)
        {
            output.Document(BucketReportOutput.Json(report), CliJsonContext.Relaxed.BucketReportJson);
        }
        else
        {
            BucketReportOutput.Table(output, report);
        }

        return (int)(report.Count(BlockState.Corrupt) > 0 ? ExitCode.Failure : ExitCode.Ok);
    }
}
