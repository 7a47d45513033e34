using System.Globalization;
using System.Text.Json.Nodes;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Kubernetes;

/// <summary>Scaling the consumers down and back, and streaming one archive into a pod.</summary>
public sealed partial class KubernetesRestorer
{
    private string Timeout => $"--timeout={(long)component.Timeout.TotalSeconds}s";

    private async Task ScaleDownAsync(List<(KubernetesObjectRef Workload, int Replicas)> recorded, CancellationToken cancellationToken)
    {
        var selectors = new List<string>();
        foreach (var workload in component.Scale)
        {
            var json = await _client.RunAsync(["get", workload.KubectlType, workload.Name!, "-o", "json"], cancellationToken).ConfigureAwait(false);
            var item = KubernetesObjects.Parse(json)[0];
            var replicas = (int?)item["spec"]?["replicas"] ?? 1;
            var labels = item["spec"]?["selector"]?["matchLabels"] as JsonObject;
            recorded.Add((workload, replicas));
            progress($"{component.Name}: scaling {workload} from {replicas} to 0");
            await _client.RunAsync(["scale", $"{workload.KubectlType}/{workload.Name}", "--replicas=0"], cancellationToken).ConfigureAwait(false);
            if (labels is { Count: > 0 })
            {
                selectors.Add(string.Join(',', labels.Select(l => $"{l.Key}={(string?)l.Value}")));
            }
        }

        foreach (var selector in selectors)
        {
            await _client.RunAsync(["wait", "--for=delete", "pod", "-l", selector, Timeout], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Scales every recorded workload back (last scaled down first), then waits for each rollout; returns the errors.</summary>
    private async Task<List<string>> ScaleBackAsync(List<(KubernetesObjectRef Workload, int Replicas)> recorded)
    {
        var errors = new List<string>();
        foreach (var (workload, replicas) in Enumerable.Reverse(recorded))
        {
            try
            {
                progress($"{component.Name}: scaling {workload} back to {replicas}");
                await _client.RunAsync(["scale", $"{workload.KubectlType}/{workload.Name}", "--replicas=" + replicas.ToString(CultureInfo.InvariantCulture)], CancellationToken.None).ConfigureAwait(false);
            }
            catch (StackvaultException e)
            {
                errors.Add($"{workload}: {e.Message}");
            }
        }

        foreach (var (workload, _) in Enumerable.Reverse(recorded))
        {
            try
            {
                await _client.RunAsync(["rollout", "status", $"{workload.KubectlType}/{workload.Name}", Timeout], CancellationToken.None).ConfigureAwait(false);
            }
            catch (StackvaultException e)
            {
                errors.Add($"{workload} not ready: {e.Message}");
            }
        }

        return errors;
    }

    private async Task<int> RestoreArchiveAsync(KubernetesPodData data, string archive, bool clean, CancellationToken cancellationToken)
    {
        string pod;
        string[] container;
        string? helper = null;
        if (data.Pvc is { } pvc)
        {
            helper = await StartHelperAsync(pvc, data.Path, cancellationToken).ConfigureAwait(false);
            (pod, container) = (helper, ["-c", "restore"]);
        }
        else
        {
            pod = data.Pod ?? await KubernetesAdapter.ReadyPodAsync(_client, data.Selector!, cancellationToken).ConfigureAwait(false);
            container = KubernetesAdapter.Container(data);
        }

        try
        {
            if (clean)
            {
                progress($"{component.Name}: emptying {data.Path} in {pod}");
                await _client.RunAsync(["exec", pod, .. container, "--", "find", data.Path, "-mindepth", "1", "-delete"], cancellationToken).ConfigureAwait(false);
            }

            progress($"{component.Name}: streaming {Path.GetFileName(archive)} into {pod}:{data.Path}");
            var entries = 0;
            var source = File.OpenRead(archive);
            await using (source.ConfigureAwait(false))
            {
                await _client.RunAsync(
                    ["exec", "-i", pod, .. container, "--", "tar", "xf", "-", "-C", data.Path],
                    cancellationToken,
                    async (stdin, ct) => entries = await TarSanitizer.CopyAsync(source, stdin, ct).ConfigureAwait(false)).ConfigureAwait(false);
            }

            return entries;
        }
        finally
        {
            if (helper is not null)
            {
                await DeleteHelperAsync(helper).ConfigureAwait(false);
            }
        }
    }
}
