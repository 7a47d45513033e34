using System.Diagnostics;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// Issue 18 item 9: `restore --target` into a mount point. Staging happens inside the target (same filesystem), so
/// an empty mounted volume (was: Device or resource busy) and a non-empty one (was: Invalid cross-device link) both
/// work, existing data is kept as *.pre-restore-TIME or left alone, and nothing is written outside the target.
/// Uses a real tmpfs mount (needs root); skipped, saying why, where mounting is not permitted.
/// </summary>
public sealed class RestoreMountPointTests
{
    /// <summary>A fact skipped, with the reason, where a tmpfs cannot be mounted (not root, no CAP_SYS_ADMIN).</summary>
    public sealed class MountFactAttribute : FactAttribute
    {
        public MountFactAttribute()
        {
            if (Stackvault.Tests.Storage.Local.TinyTmpfs.WhyUnavailable is { } reason)
            {
                Skip = $"needs to mount a tmpfs as the restore target: {reason}";
            }
        }
    }

    [MountFact]
    public async Task Restore_IntoEmptyAndNonEmptyMountedVolumes_Works()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var source = temp.Sub("src");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        await File.WriteAllBytesAsync(Path.Combine(source, "sub", "data.bin"), RestoreDamageTests.Random(200_000, seed: 1));
        await File.WriteAllTextAsync(Path.Combine(source, "top.txt"), "top");
        await cli.RunOkAsync("backup", source);

        var empty = temp.Sub("empty-volume");
        var full = temp.Sub("full-volume");
        Directory.CreateDirectory(empty);
        Directory.CreateDirectory(full);
        Assert.Null(await MountAsync(empty));
        try
        {
            Assert.Null(await MountAsync(full));
            try
            {
                // An empty mounted volume: restored into, the mount point stays a mount point.
                await cli.RunOkAsync("restore", "latest", "--target", empty);
                Assert.Equal(RestoreDamageTests.Random(200_000, seed: 1), await File.ReadAllBytesAsync(empty + source + "/sub/data.bin"));
                Assert.True(IsMountPoint(empty), "the target is still the mounted volume");

                // A volume holding data: the snapshot's top-level entry replaces the existing one (kept aside), other
                // entries are left alone, no staging directory is left behind.
                var first = source.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
                Directory.CreateDirectory(Path.Combine(full, first));
                await File.WriteAllTextAsync(Path.Combine(full, first, "old.txt"), "old data");
                await File.WriteAllTextAsync(Path.Combine(full, "unrelated.txt"), "keep me");
                var result = await cli.RunOkAsync("restore", "latest", "--target", full);
                Assert.Equal("top", await File.ReadAllTextAsync(full + source + "/top.txt"));
                Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Combine(full, "unrelated.txt")));
                var kept = Directory.GetDirectories(full, first + ".pre-restore-*").Single();
                Assert.Equal("old data", await File.ReadAllTextAsync(Path.Combine(kept, "old.txt")));
                Assert.Contains("kept the previous", result.Stderr, StringComparison.Ordinal);
                Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(full).Concat(Directory.EnumerateFileSystemEntries(empty)),
                    e => Path.GetFileName(e).StartsWith(".stackvault-restore-", StringComparison.Ordinal));
                Assert.True(IsMountPoint(full));
            }
            finally
            {
                await UnmountAsync(full);
            }
        }
        finally
        {
            await UnmountAsync(empty);
        }
    }

    private static bool IsMountPoint(string path) =>
        File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == Path.GetFullPath(path).TrimEnd('/'));

    /// <summary>Mounts a small tmpfs on the directory; null when it worked, else why not.</summary>
    private static async Task<string?> MountAsync(string directory)
    {
        var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", directory);
        return code == 0 ? null : $"mount -t tmpfs exited {code}: {error.Trim()}";
    }

    private static async Task UnmountAsync(string directory) => await RunAsync("umount", "-l", directory);

    private static async Task<(int Code, string Error)> RunAsync(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            args.ToList().ForEach(start.ArgumentList.Add);
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
