using System.Globalization;
using System.Net;
using System.Text.Json;
using Stackvault.Errors;

namespace Stackvault.Components.Prometheus;

/// <summary>
/// Strict reading of Prometheus HTTP API answers (<c>{"status":"success","data":...}</c> or
/// <c>{"status":"error","errorType":...,"error":...}</c>). The answer is untrusted: every field is checked.
/// </summary>
internal static class PrometheusResponse
{
    /// <summary>Parses the envelope; throws a one-line StackvaultException for an error answer or a non-API body.</summary>
    public static JsonDocument Parse(HttpStatusCode status, byte[] body, string what, Uri url)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new StackvaultException($"Prometheus at {url} answered {what} with HTTP {(int)status} and a body that is not an API response: is this Prometheus?");
        }

        var root = document.RootElement;
        var state = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()
            : null;
        if (state == "success" && status == HttpStatusCode.OK && root.TryGetProperty("data", out _))
        {
            return document;
        }

        var errorType = OptionalString(root, "errorType") ?? "unknown";
        var error = OptionalString(root, "error") ?? "no error message";
        document.Dispose();
        throw new StackvaultException($"Prometheus at {url} refused {what} (HTTP {(int)status}, {errorType}): {OneLine(error)}");
    }

    /// <summary>The error message of an error answer, or null when the body is not one.</summary>
    public static string? ErrorMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return OptionalString(document.RootElement, "error");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string String(JsonElement obj, string name, string what) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new StackvaultException($"Prometheus {what} answer: field '{name}' is missing or not a string");

    /// <summary>Reads <c>data</c> of a query answer: a matrix (range query), a vector or a scalar (instant query).</summary>
    public static List<PrometheusSeries> Series(JsonElement data, string what)
    {
        var resultType = String(data, "resultType", what);
        if (!data.TryGetProperty("result", out var result))
        {
            throw new StackvaultException($"Prometheus {what} answer: field 'result' is missing");
        }

        switch (resultType)
        {
            case "scalar":
                return [new PrometheusSeries(new Dictionary<string, string>(), [Sample(result, what)])];
            case "vector":
            case "matrix":
                if (result.ValueKind != JsonValueKind.Array)
                {
                    throw new StackvaultException($"Prometheus {what} answer: field 'result' is not an array");
                }

                var series = new List<PrometheusSeries>(result.GetArrayLength());
                foreach (var item in result.EnumerateArray())
                {
                    series.Add(new PrometheusSeries(Labels(item, what), resultType == "vector" ? [Sample(Get(item, "value", what), what)] : Samples(item, what)));
                }

                return series;
            default:
                throw new StackvaultException($"Prometheus {what} answer: unsupported resultType '{OneLine(resultType)}'");
        }
    }

    private static Dictionary<string, string> Labels(JsonElement item, string what)
    {
        var metric = Get(item, "metric", what);
        if (metric.ValueKind != JsonValueKind.Object)
        {
            throw new StackvaultException($"Prometheus {what} answer: field 'metric' is not an object");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in metric.EnumerateObject())
        {
            labels[label.Name] = label.Value.ValueKind == JsonValueKind.String
                ? label.Value.GetString()!
                : throw new StackvaultException($"Prometheus {what} answer: label '{OneLine(label.Name)}' is not a string");
        }

        return labels;
    }

    private static List<PrometheusSample> Samples(JsonElement item, string what)
    {
        var values = Get(item, "values", what);
        if (values.ValueKind != JsonValueKind.Array)
        {
            throw new StackvaultException($"Prometheus {what} answer: field 'values' is not an array");
        }

        return [.. values.EnumerateArray().Select(v => Sample(v, what))];
    }

    private static PrometheusSample Sample(JsonElement pair, string what)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
            || pair[0].ValueKind != JsonValueKind.Number || !pair[0].TryGetDecimal(out var seconds)
            || pair[1].ValueKind != JsonValueKind.String || !TryParseValue(pair[1].GetString()!, out var value)
            || seconds < -62_135_596_800m || seconds > 253_402_300_799m)
        {
            throw new StackvaultException($"Prometheus {what} answer: a sample is not [unix seconds, \"value\"]");
        }

        return new PrometheusSample(DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(seconds * 1000m)), value);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static JsonElement Get(JsonElement obj, string name, string what) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            ? value
            : throw new StackvaultException($"Prometheus {what} answer: field '{name}' is missing");

    private static string? OptionalString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    internal static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 300 ? line : line[..300] + "...";
    }
}
