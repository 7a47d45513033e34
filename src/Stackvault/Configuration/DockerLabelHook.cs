namespace Stackvault.Configuration;

/// <summary>
/// <c>- docker_label_stop: GROUP</c> / <c>- docker_label_start: GROUP</c>: the containers found by their labels.
/// Stop runs each <c>stackvault.exec-pre</c> command of the group's containers (labelled
/// <c>stackvault.group=GROUP</c> or <c>stackvault.stop-during-backup=GROUP</c>), then stops the running containers
/// labelled <c>stackvault.stop-during-backup=GROUP</c>; start starts the ones that stop stopped, in reverse order,
/// then runs each <c>stackvault.exec-post</c>. A job's <c>stop_containers: GROUP</c> adds the pair around the job.
/// </summary>
public sealed record DockerLabelHook(int Line, TimeSpan? Timeout, bool ContinueOnError, DockerAction Action, string Group)
    : HookConfig(Line, Timeout, ContinueOnError)
{
    public const string StopLabel = "stackvault.stop-during-backup";

    public const string GroupLabel = "stackvault.group";

    public const string ExecPreLabel = "stackvault.exec-pre";

    public const string ExecPostLabel = "stackvault.exec-post";

    /// <summary>The job-level key that wraps a job in a stop/start pair.</summary>
    public const string JobKey = "stop_containers";

    /// <summary>Wraps <paramref name="hooks"/>: the stop first among the pre hooks, the start last among the post hooks.</summary>
    public static HookSet Around(HookSet hooks, string group, int line) => new(
        [new DockerLabelHook(line, null, false, DockerAction.Stop, group), .. hooks.Pre],
        [.. hooks.Post, new DockerLabelHook(line, null, false, DockerAction.Start, group)]);
}
