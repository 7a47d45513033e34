namespace Stackvault.Jobs.Hooks;

/// <summary>
/// What one list of hooks did: how many succeeded and failed, and the first failure of an <c>on_error: fail</c>
/// hook (null when none): for a pre list, that stops the component or job.
/// </summary>
public sealed record HookListResult(int Ok, int Failed, string? Fatal);
