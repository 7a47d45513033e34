using Stackvault.Errors;

namespace Stackvault.Storage.S3;

/// <summary>
/// Static S3 credentials. <see cref="ToString"/> never shows the secret or the session token, so the record can be
/// logged or put in an error message safely.
/// </summary>
public sealed record S3Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>
    /// Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or their <c>*_FILE</c> variants (a file
    /// holding the value, trailing newline trimmed). Returns null when no key is set, so the SDK's default chain
    /// (AWS_PROFILE, shared credentials file, instance roles, ...) applies.
    /// </summary>
    /// <exception cref="StackvaultException">Only half a key pair is set, or both a variable and its _FILE variant, or a file is unreadable (exit code Usage).</exception>
    public static S3Credentials? FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var id = Read(getVariable, "AWS_ACCESS_KEY_ID");
        var secret = Read(getVariable, "AWS_SECRET_ACCESS_KEY");
        var token = Read(getVariable, "AWS_SESSION_TOKEN");
        if (id is null && secret is null)
        {
            return null;
        }

        if (id is null || secret is null)
        {
            var missing = id is null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
            throw new UsageException($"{missing} (or {missing}_FILE) is not set but its partner is; set both or neither");
        }

        return new S3Credentials(id, secret, token);
    }

    public override string ToString() => $"S3Credentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = ***, SessionToken = {(SessionToken is null ? "none" : "***")} }}";

    /// <summary>A variable or its <c>*_FILE</c> variant (a file holding the value, trailing newline trimmed); null when neither is set.</summary>
    internal static string? Read(Func<string, string?> getVariable, string name)
    {
        var direct = getVariable(name);
        var file = getVariable(name + "_FILE");
        if (!string.IsNullOrEmpty(direct) && !string.IsNullOrEmpty(file))
        {
            throw new UsageException($"both {name} and {name}_FILE are set; set only one");
        }

        if (!string.IsNullOrEmpty(file))
        {
            try
            {
                var value = File.ReadAllText(file).TrimEnd('\r', '\n');
                return value.Length == 0 ? throw new UsageException($"{name}_FILE '{file}' is empty") : value;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read {name}_FILE '{file}': {e.Message}", e);
            }
        }

        return string.IsNullOrEmpty(direct) ? null : direct;
    }
}
