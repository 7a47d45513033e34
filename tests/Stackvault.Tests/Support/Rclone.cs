using System.Diagnostics;

namespace Stackvault.Tests.Support;

/// <summary>rclone, an S3 client independent of Stackvault, configured for s3rver through RCLONE_CONFIG_SV_* variables.</summary>
internal static class Rclone
{
    /// <summary>Uploads a local directory tree into a bucket (keys are the relative paths).</summary>
    public static Task UploadAsync(S3rverFixture server, string directory, string bucket) => RunAsync(server, "copy", directory, $"sv:{bucket}");

    /// <summary>Downloads a whole bucket into a local directory.</summary>
    public static Task DownloadAsync(S3rverFixture server, string bucket, string directory) => RunAsync(server, "copy", "--fast-list", $"sv:{bucket}", directory);

    /// <summary>Every key of a bucket.</summary>
    public static async Task<List<string>> ListAsync(S3rverFixture server, string bucket) =>
        [.. (await RunAsync(server, "lsf", "-R", "--files-only", "--fast-list", $"sv:{bucket}")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    public static async Task<string> RunAsync(S3rverFixture server, params string[] args)
    {
        var start = new ProcessStartInfo("rclone") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("AWS_CA_BUNDLE"); // rclone cannot combine a CA bundle with its own transport
        start.Environment["RCLONE_CONFIG"] = "/dev/null";
        start.Environment["RCLONE_CONFIG_SV_TYPE"] = "s3";
        start.Environment["RCLONE_CONFIG_SV_PROVIDER"] = "Other";
        start.Environment["RCLONE_CONFIG_SV_ENDPOINT"] = server.Endpoint.ToString();
        start.Environment["RCLONE_CONFIG_SV_ACCESS_KEY_ID"] = S3rverFixture.AccessKey;
        start.Environment["RCLONE_CONFIG_SV_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey;
        start.Environment["RCLONE_CONFIG_SV_REGION"] = "us-east-1";
        start.Environment["RCLONE_CONFIG_SV_FORCE_PATH_STYLE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"rclone {string.Join(' ', args)}: exit {process.ExitCode}\n{await stderr}");
        return await stdout;
    }
}
