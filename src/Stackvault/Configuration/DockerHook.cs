namespace Stackvault.Configuration;

/// <summary><c>- docker_stop: [grafana]</c> or <c>- docker_start: [grafana]</c>: containers by name.</summary>
public sealed record DockerHook(int Line, TimeSpan? Timeout, bool ContinueOnError, DockerAction Action, IReadOnlyList<string> Containers)
    : HookConfig(Line, Timeout, ContinueOnError);
