namespace Stackvault.Components.Prometheus;

/// <summary>ULIDs as TSDB block directory names: 26 characters of Crockford base32, upper case, at most 7ZZZ... (128 bits).</summary>
internal static class TsdbUlid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static bool IsValid(string? text) =>
        text is { Length: 26 } && text[0] <= '7' && text.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
