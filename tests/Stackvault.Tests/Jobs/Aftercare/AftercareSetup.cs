using Stackvault.Configuration;
using Stackvault.Jobs.Aftercare;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Repository.Packing;
using Stackvault.Storage;

namespace Stackvault.Tests.Jobs.Aftercare;

/// <summary>Configs, repositories and snapshot histories for the aftercare tests.</summary>
internal static class AftercareSetup
{
    public const string Password = "test-password";
    public const string JobName = "nightly";

    public static JobConfig Job(RetentionConfig? retention, params string[] copyTo) =>
        new(JobName, 1, "main", ["etc"], [], null, null, null, retention, copyTo, null, null, null, HookSet.None);

    /// <summary>A config whose repository <c>main</c> is the source and whose other repositories are tiers.</summary>
    public static StackvaultConfig Config(JobConfig job, string source, params (string Name, string Url, string Password)[] tiers)
    {
        var repositories = new Dictionary<string, RepositoryConfigEntry> { ["main"] = new("main", source, SecretValue.Inline(Password), 1) };
        foreach (var (name, url, password) in tiers)
        {
            repositories[name] = new RepositoryConfigEntry(name, url, SecretValue.Inline(password), 2);
        }

        return new StackvaultConfig("test.yaml", repositories, new Dictionary<string, ComponentConfig>(), new Dictionary<string, JobConfig> { [job.Name] = job });
    }

    public static ValueTask<Stackvault.Repository.Repository> OpenAsync(RepositoryConfigEntry entry, CancellationToken cancellationToken) =>
        Stackvault.Repository.Repository.OpenAsync(StorageFactory.Open(entry.Url), entry.Password?.Reveal(), TimeProvider.System, cancellationToken);

    public static ValueTask<Stackvault.Repository.Repository> OpenAsync(string path, string password = Password) =>
        Stackvault.Repository.Repository.OpenAsync(StorageFactory.Open(path), password, TimeProvider.System, CancellationToken.None);

    public static ValueTask<AftercareResult> RunAsync(StackvaultConfig config, Stackvault.Repository.Repository source, JobRunOutcome run, List<string> warnings) =>
        new JobAftercare().RunAsync(config, config.Jobs[JobName], source, run, OpenAsync, TimeProvider.System, warnings.Add, CancellationToken.None);

    /// <summary>A new unencrypted repository holding one empty tree, and its id (snapshot manifests can point at it).</summary>
    public static async Task<(Stackvault.Repository.Repository Repository, ObjectId Tree)> NewWithEmptyTreeAsync(string path)
    {
        var repository = await Stackvault.Repository.Repository.InitAsync(
            StorageFactory.Open(path), new RepositoryInitOptions { Encrypted = false, PackSize = 4096 }, TimeProvider.System, CancellationToken.None);
        var bytes = Stackvault.Repository.Repository.SerializeTree(new Tree());
        var id = repository.Blobs.Hasher.ComputeId(bytes);
        var writer = new BlobWriter(repository, () => { });
        await using (writer)
        {
            await writer.SaveAsync(BlobType.Tree, id, bytes, null, CancellationToken.None);
            await writer.CompleteAsync();
        }

        return (repository, id);
    }

    public static async Task<HashSet<string>> SnapshotIdsAsync(Stackvault.Repository.Repository repository) =>
        [.. (await repository.ListSnapshotsAsync(CancellationToken.None)).Select(s => s.Id.ToString())];
}
