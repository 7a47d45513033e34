namespace Stackvault.Configuration;

/// <summary>
/// The outcome of loading a configuration: the typed config when there is no problem, and every problem found.
/// <see cref="Config"/> is null exactly when <see cref="Problems"/> is not empty.
/// </summary>
public sealed record ConfigLoadResult(StackvaultConfig? Config, IReadOnlyList<ConfigProblem> Problems)
{
    public bool IsValid => Config is not null && Problems.Count == 0;

    public void Deconstruct(out StackvaultConfig? config, out IReadOnlyList<ConfigProblem> problems)
    {
        config = Config;
        problems = Problems;
    }
}
