namespace Stackvault.Drill;

/// <summary>
/// One engine-level check of a restored component: what was compared, what the manifest recorded at backup time
/// (<paramref name="Expected"/>) and what the restored copy showed (<paramref name="Actual"/>). Never holds a secret.
/// </summary>
/// <param name="Name">What was checked, e.g. <c>promtool tsdb list</c> or <c>rows.public.orders</c>.</param>
/// <param name="Passed">True when the check held.</param>
/// <param name="Expected">The recorded value, when the check compares one.</param>
/// <param name="Actual">The value found in the restored copy.</param>
/// <param name="Message">A one-line explanation (why it failed, or what was found).</param>
public sealed record DrillCheckResult(string Name, bool Passed, string? Expected = null, string? Actual = null, string? Message = null)
{
    public static DrillCheckResult Pass(string name, string? message = null) => new(name, true, Message: message);

    public static DrillCheckResult Fail(string name, string message) => new(name, false, Message: message);

    /// <summary>Compares a recorded count with the restored one.</summary>
    public static DrillCheckResult Compare(string name, long expected, long actual) =>
        new(name, expected == actual, expected.ToString(System.Globalization.CultureInfo.InvariantCulture), actual.ToString(System.Globalization.CultureInfo.InvariantCulture),
            expected == actual ? null : $"restored {actual}, recorded at backup {expected}");

    /// <summary>"name: message" (or "name: restored X, recorded Y"), for one-line failure reports.</summary>
    public override string ToString() => Message is null ? Name : $"{Name}: {Message}";
}
