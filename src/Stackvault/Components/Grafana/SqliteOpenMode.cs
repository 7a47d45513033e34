namespace Stackvault.Components.Grafana;

/// <summary>How <see cref="SqliteConnection"/> opens a database file.</summary>
public enum SqliteOpenMode
{
    /// <summary>Read only; the file must exist.</summary>
    ReadOnly,

    /// <summary>Read and write; the file must exist.</summary>
    ReadWrite,

    /// <summary>Read and write; the file is created when missing.</summary>
    ReadWriteCreate,
}
