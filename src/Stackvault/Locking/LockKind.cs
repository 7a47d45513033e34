namespace Stackvault.Locking;

/// <summary>Shared locks coexist (backup, restore, verify); an exclusive lock (prune) excludes every other lock.</summary>
public enum LockKind
{
    Shared,
    Exclusive,
}
