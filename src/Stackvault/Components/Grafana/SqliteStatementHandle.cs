using Microsoft.Win32.SafeHandles;

namespace Stackvault.Components.Grafana;

/// <summary>An sqlite3_stmt*, finalized on release. Invalid (zero) for SQL that holds only whitespace or comments.</summary>
internal sealed class SqliteStatementHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SqliteStatementHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        // sqlite3_finalize returns the statement's last error, which was already reported by sqlite3_step.
        SqliteNative.Finalize(handle);
        return true;
    }
}
