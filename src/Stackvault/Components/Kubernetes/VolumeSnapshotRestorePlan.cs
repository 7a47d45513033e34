using System.Text;

namespace Stackvault.Components.Kubernetes;

/// <summary>When a step of a VolumeSnapshot restore runs: before the workload is touched, while it is at 0, or after.</summary>
public enum RestorePhase
{
    Prepare,
    ScaleDown,
    Swap,
    ScaleUp,
}

/// <summary>One kubectl call of a plan (no arguments: a note only); <see cref="Manifest"/> goes to its stdin.</summary>
public sealed record KubectlStep(RestorePhase Phase, string Description, IReadOnlyList<string> Arguments, string? Manifest = null)
{
    /// <summary>The step as a shell command (with a here-document for the manifest), or a <c>#</c> note.</summary>
    public string Render(Kubectl client)
    {
        var text = new StringBuilder("# ").Append(Description);
        if (Arguments.Count > 0)
        {
            text.Append('\n').Append(client.Program).Append(' ').AppendJoin(' ', client.Arguments(Arguments).Select(Quote));
            if (Manifest is not null)
            {
                text.Append(" <<'EOF'\n").Append(Manifest).Append("\nEOF");
            }
        }

        return text.ToString();
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@%+".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>
/// A restore of one PVC from a VolumeSnapshot: the consuming workload, the PVC the workload will use afterwards, and
/// every step. <see cref="RetainedVolume"/> is the old PV kept (reclaim policy Retain) when a StatefulSet's PVC is
/// re-created under its own name.
/// </summary>
public sealed record VolumeSnapshotRestorePlan(
    string VolumeSnapshot,
    string SourcePvc,
    string RestoredPvc,
    string Workload,
    bool WaitForFirstConsumer,
    string? RetainedVolume,
    IReadOnlyList<KubectlStep> Steps);
