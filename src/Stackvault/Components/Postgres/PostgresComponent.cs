namespace Stackvault.Configuration;

/// <summary>
/// <c>type: postgres</c>: a libpq key=value DSN without a password (the password comes from <c>password</c>,
/// <c>password_file</c>, <c>password_command</c> or <c>STACKVAULT_&lt;COMPONENT&gt;_PASSWORD[_FILE]</c>), and optionally
/// the databases to dump (default: the DSN's <c>dbname</c>, else every database that allows connections).
/// </summary>
public sealed record PostgresComponent(
    string Name,
    HookSet Hooks,
    int Line,
    string Dsn,
    SecretValue? Password,
    IReadOnlyList<string> Databases)
    : ComponentConfig(Name, Hooks, Line)
{
    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "postgres";

    public override string Type => TypeName;
}
