namespace Stackvault.Configuration;

/// <summary><c>- http: "http://127.0.0.1:3100/flush"</c> with <c>method</c> (default POST).</summary>
public sealed record HttpHook(int Line, TimeSpan? Timeout, bool ContinueOnError, Uri Url, string Method)
    : HookConfig(Line, Timeout, ContinueOnError);
