namespace Stackvault.Configuration;

/// <summary>What a <see cref="DockerHook"/> does to its containers.</summary>
public enum DockerAction
{
    Stop,
    Start,
}
