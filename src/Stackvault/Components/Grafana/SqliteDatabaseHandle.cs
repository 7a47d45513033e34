using Microsoft.Win32.SafeHandles;

namespace Stackvault.Components.Grafana;

/// <summary>An sqlite3* connection, closed with sqlite3_close_v2 (which waits for unfinalized statements).</summary>
internal sealed class SqliteDatabaseHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SqliteDatabaseHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => SqliteNative.CloseV2(handle) == SqliteNative.Ok;
}
