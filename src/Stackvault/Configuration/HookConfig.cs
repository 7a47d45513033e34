namespace Stackvault.Configuration;

/// <summary>
/// One hook: a command, an HTTP call, or a docker stop/start of named containers. <see cref="Timeout"/> null means
/// the default; <see cref="ContinueOnError"/> (<c>on_error: continue</c>) lets the run go on when the hook fails.
/// </summary>
public abstract record HookConfig(int Line, TimeSpan? Timeout, bool ContinueOnError);
