namespace Stackvault.Locking;

/// <summary>
/// The content of one lock object (<c>locks/&lt;64 hex&gt;</c>, plaintext UTF-8 JSON). A holder writes a new
/// object with the next <see cref="Sequence"/> on every refresh; all objects of one holder share
/// <see cref="Chain"/>, the name of its first object.
/// </summary>
public sealed record LockRecord(
    int Version,
    bool Exclusive,
    string Operation,
    string Hostname,
    int Pid,
    long ProcessStart,
    string Username,
    DateTimeOffset Created,
    DateTimeOffset Refreshed,
    int LeaseSeconds,
    long Sequence,
    string Chain,
    string PidNamespace)
{
    public const int CurrentVersion = 1;

    public LockKind Kind => Exclusive ? LockKind.Exclusive : LockKind.Shared;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
