namespace Stackvault.Tests.Storage.Local;

/// <summary>A fact that is skipped, with the reason, where a small tmpfs cannot be mounted (not root, no CAP_SYS_ADMIN).</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (TinyTmpfs.WhyUnavailable is { } reason)
        {
            Skip = $"needs a mountable 1 MiB tmpfs to simulate a full disk: {reason}";
        }
    }
}
