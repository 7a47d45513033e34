using System.Text;
using Stackvault.Backup;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Repository;
using Stackvault.Restore;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

/// <summary>Sources placed at their own snapshot paths, and streams stored as files: what component adapters build on.</summary>
public class BackupSourceTests
{
    private const string Password = "test-password";

    private static async Task<BackupResult> BackupAsync(string repositoryPath, BackupOptions options)
    {
        var storage = new LocalStorage(new LocalStorageOptions(repositoryPath));
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(storage, Password, TimeProvider.System, CancellationToken.None);
        await using var repositoryLock = await new LockManager(storage, new LockOptions(), TimeProvider.System).AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        return await new BackupRunner(repository, repositoryLock, options, new BackupProgress()).RunAsync(CancellationToken.None);
    }

    private static async Task RestoreAsync(string repositoryPath, ObjectId snapshotId, string target)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(repositoryPath)), Password, TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var snapshot = await repository.LoadSnapshotAsync(snapshotId, CancellationToken.None);
        await new RestoreRunner(repository, new RestoreOptions { Target = target, Verify = true }).RunAsync(snapshot, CancellationToken.None);
    }

    [Fact]
    public async Task Backup_DirectoryPlacedAtSnapshotPath_RestoresThereWithSyntheticParents()
    {
        using var temp = new TempDirectory();
        var data = temp.Sub("var-lib-prometheus");
        new TreeGenerator(51).File(Path.Combine(data, "01HX", "meta.json"), 300);
        var repository = temp.Sub("repo");
        await new CliRunner(repository, Password).InitAsync();
        var result = await BackupAsync(repository, new BackupOptions { Sources = [BackupSource.At("/prom/data", data)] });
        Assert.Equal(["/prom/data"], result.Snapshot.Paths);

        var target = temp.Sub("restore");
        await RestoreAsync(repository, result.SnapshotId!.Value, target);
        TreeComparer.AssertSame(data, Path.Combine(target, "prom", "data"));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(target, "prom")));
    }

    [Fact]
    public async Task Backup_StreamSource_StoredAsFileAndDeduplicatedNextTime()
    {
        using var temp = new TempDirectory();
        var repository = temp.Sub("repo");
        await new CliRunner(repository, Password).InitAsync();
        var dump = new TreeGenerator(52).Bytes(3_000_000);
        var options = new BackupOptions { Sources = [BackupSource.FromStream("/pg/app.dump", _ => ValueTask.FromResult<Stream>(new MemoryStream(dump)))] };
        var first = await BackupAsync(repository, options);
        Assert.Equal(Stackvault.Repository.Model.SnapshotStatus.Complete, first.Snapshot.Status);
        var second = await BackupAsync(repository, options);
        Assert.Equal(0, second.Snapshot.Summary!.DataBlobs);

        var target = temp.Sub("restore");
        await RestoreAsync(repository, second.SnapshotId!.Value, target);
        Assert.Equal(dump, await File.ReadAllBytesAsync(Path.Combine(target, "pg", "app.dump")));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Combine(target, "pg", "app.dump")));
    }

    [Fact]
    public async Task Backup_FailingStream_PartialSnapshotKeepsTheOtherSources()
    {
        using var temp = new TempDirectory();
        var etc = temp.Sub("etc");
        new TreeGenerator(53).File(Path.Combine(etc, "prometheus.yml"), 100);
        var repository = temp.Sub("repo");
        await new CliRunner(repository, Password).InitAsync();
        var options = new BackupOptions
        {
            Sources =
            [
                BackupSource.At("/etc-files", etc),
                BackupSource.FromStream("/pg/app.dump", _ => ValueTask.FromResult<Stream>(new FailingStream())),
            ],
        };
        var result = await BackupAsync(repository, options);
        Assert.True(result.IsPartial);
        var error = Assert.Single(result.Snapshot.Errors);
        Assert.Equal("/pg/app.dump", error.Path);
        Assert.Contains("pg_dump exited with code 1", error.Message, StringComparison.Ordinal);

        var target = temp.Sub("restore");
        await RestoreAsync(repository, result.SnapshotId!.Value, target);
        Assert.True(File.Exists(Path.Combine(target, "etc-files", "prometheus.yml")));
        Assert.False(File.Exists(Path.Combine(target, "pg", "app.dump")));
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/a/../b")]
    [InlineData("/a/./b")]
    public void At_BadSnapshotPath_RejectedAsUsage(string snapshotPath)
    {
        var e = Assert.ThrowsAny<StackvaultException>(() => BackupSource.At(snapshotPath, "/tmp"));
        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(e).Code);
    }

    [Fact]
    public void Validate_TwoSourcesAtOnePath_RejectedAsUsage()
    {
        var options = new BackupOptions { Sources = [BackupSource.At("/x", "/tmp"), BackupSource.At("/x/", "/var")] };
        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(Assert.ThrowsAny<StackvaultException>(options.Validate)).Code);
    }

    /// <summary>A dump whose producer fails halfway: some bytes, then the error a process wrapper raises.</summary>
    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_reads++ > 0)
            {
                throw new IOException("pg_dump exited with code 1: connection refused");
            }

            var text = Encoding.ASCII.GetBytes("PGDMP partial");
            text.CopyTo(buffer, offset);
            return text.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
