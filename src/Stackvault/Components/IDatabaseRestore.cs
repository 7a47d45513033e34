using Stackvault.Configuration;

namespace Stackvault.Components;

/// <summary>
/// The live restore of an engine whose data lives in a database server rather than in files (PostgreSQL): each dump
/// in the snapshot goes through the server into a database, and a database it replaces is kept under another name.
/// <c>restore --target-database</c> and <c>--force</c> apply to these engines only, and <c>restore --rollback</c>
/// has no file copy to put back. An engine offers it as <see cref="IEngine.Database"/>; the live runner and the CLI
/// ask <see cref="DatabaseRestores.Of"/> instead of testing a component's type.
/// </summary>
public interface IDatabaseRestore
{
    /// <summary>What <c>restore --rollback|--cleanup</c> says of such a component instead of touching it.</summary>
    string RollbackAdvice { get; }

    /// <summary>The name the database <paramref name="database"/> is kept under when a restore replaces it at <paramref name="time"/>.</summary>
    string KeptName(string database, string time);

    /// <summary>
    /// The database the item at <paramref name="relative"/> (a path in the component's snapshot directory, with its
    /// leading <c>/</c>) restores into by default, or null when it is not a database dump.
    /// </summary>
    string? DatabaseOf(string relative);

    /// <summary>Whether <paramref name="database"/> exists on the component's server; throws <see cref="IOException"/> or a <see cref="Errors.StackvaultException"/> when the server does not answer.</summary>
    Task<bool> ExistsAsync(ComponentConfig component, string database, CancellationToken cancellationToken);

    /// <summary>
    /// Restores the dump file <paramref name="dumpFile"/> into <paramref name="database"/> (an existing one is replaced
    /// only with <paramref name="force"/>, and kept); the database restored and the name the replaced one is kept under.
    /// </summary>
    Task<(string Database, string? KeptAs)> RestoreAsync(ComponentConfig component, string dumpFile, string database, int jobs, bool force, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>How to undo a restore into <paramref name="database"/> by hand (the previous one kept as <paramref name="keptAs"/>, or none).</summary>
    string Undo(string database, string? keptAs);
}

/// <summary>The database restore of a component's engine, for the CLI (the catalog is internal).</summary>
public static class DatabaseRestores
{
    /// <summary>The engine's database restore, or null when its live restore swaps files.</summary>
    public static IDatabaseRestore? Of(ComponentConfig component) => EngineCatalog.Of(component).Database;

    /// <summary>The types whose engines restore through a database server (<c>postgres</c>), for messages.</summary>
    public static string Types => string.Join(" or ", EngineCatalog.All.Where(e => e.Database is not null).Select(e => e.Type));
}
