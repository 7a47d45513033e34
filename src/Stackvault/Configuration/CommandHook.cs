namespace Stackvault.Configuration;

/// <summary><c>- command: [systemctl, reload, x]</c> or <c>- command: "curl ... | jq"</c> (run by /bin/sh -c).</summary>
public sealed record CommandHook(int Line, TimeSpan? Timeout, bool ContinueOnError, CommandSpec Command)
    : HookConfig(Line, Timeout, ContinueOnError);
