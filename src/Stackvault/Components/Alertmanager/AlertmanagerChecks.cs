namespace Stackvault.Components.Alertmanager;

/// <summary>The names and files an Alertmanager backup records and a drill compares.</summary>
public static class AlertmanagerChecks
{
    /// <summary>Silences the API listed at backup (any state).</summary>
    public const string Silences = "silences";

    /// <summary>Silences still in force at backup (state active or pending).</summary>
    public const string ActiveSilences = "active_silences";

    /// <summary>Data-directory snapshot files stored (<c>silences</c>, <c>nflog</c>).</summary>
    public const string DataFiles = "data_files";

    /// <summary>The API's silences, as <c>GET /api/v2/silences</c> answered, in the component's snapshot directory.</summary>
    public const string ApiFile = "api-silences.json";

    /// <summary>The data-directory files kept; anything else (the <c>&lt;file&gt;.&lt;hex&gt;</c> temp files) is left out.</summary>
    public static readonly IReadOnlyList<string> DataFileNames = ["silences", "nflog"];
}
