namespace Stackvault.Storage;

/// <summary>
/// What <see cref="IStorage.SweepAbandonedAsync"/> removed: a killed writer's leftovers (the local backend's
/// <c>.tmp-*</c> files, an S3 bucket's incomplete multipart uploads). <see cref="Note"/> says why a backend could
/// not sweep (for example a server that does not list multipart uploads); null when it could.
/// </summary>
public sealed record SweepResult(int Removed, long Bytes, string? Note)
{
    public static SweepResult Unsupported(string why) => new(0, 0, why);
}
