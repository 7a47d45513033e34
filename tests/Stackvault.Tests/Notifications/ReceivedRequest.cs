using System.Text.Json;

namespace Stackvault.Tests.Notifications;

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? ContentType, string? Authorization, string Body, string Query = "")
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
