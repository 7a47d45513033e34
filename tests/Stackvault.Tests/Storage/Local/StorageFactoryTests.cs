using Stackvault.Errors;
using Stackvault.Storage;
using Stackvault.Storage.Local;

namespace Stackvault.Tests.Storage.Local;

public sealed class StorageFactoryTests
{
    [Theory]
    [InlineData("/srv/backup/repo", "/srv/backup/repo")]
    [InlineData("local:/srv/repo", "/srv/repo")]
    [InlineData("file:/srv/repo", "/srv/repo")]
    [InlineData("file:///srv/my%20repo", "/srv/my repo")]
    [InlineData("file://localhost/srv/repo", "/srv/repo")]
    [InlineData("/srv/with:colon/", "/srv/with:colon")]
    public async Task Open_LocalForms_OpenLocalStorageAtPath(string location, string root)
    {
        await using var storage = StorageFactory.Open(location);

        var local = Assert.IsType<LocalStorage>(storage);
        Assert.Equal(root, local.Root);
        Assert.Equal(location, local.Location);
    }

    [Fact]
    public async Task Open_RelativePath_ResolvesAgainstCurrentDirectory()
    {
        await using var storage = StorageFactory.Open("some/repo");
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "some", "repo"), Assert.IsType<LocalStorage>(storage).Root);
    }

    [Theory]
    [InlineData("s3:bucket/prefix", "neither //BUCKET nor an http(s):// endpoint")]
    [InlineData("S3:bucket", "neither //BUCKET nor an http(s):// endpoint")]
    [InlineData("sftp:host:/repo", "unknown scheme 'sftp:'")]
    [InlineData("file://otherhost/repo", "names host 'otherhost'")]
    [InlineData("  ", "empty")]
    [InlineData("local:", "has no path")]
    [InlineData("/", "filesystem root")]
    public void Open_Unsupported_ThrowsUsage(string location, string message)
    {
        var e = Assert.ThrowsAny<StackvaultException>(() => StorageFactory.Open(location));
        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(e).Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultOptions_FsyncOnAndAbsoluteRoot()
    {
        var options = new LocalStorageOptions("x/../y");
        Assert.True(options.Fsync);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "y"), options.Validate());
    }
}
