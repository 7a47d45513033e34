using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Stackvault.Errors;

namespace Stackvault.Components.Kubernetes;

/// <summary>The helper pod that mounts a PVC while its workload is scaled to 0.</summary>
public sealed partial class KubernetesRestorer
{
    private async Task<string> StartHelperAsync(string pvc, string mountPath, CancellationToken cancellationToken)
    {
        var name = "stackvault-restore-" + Guid.NewGuid().ToString("N")[..10];
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject { [VolumeSnapshotRecord.ManagedByLabel] = "stackvault", [VolumeSnapshotRecord.ComponentLabel] = component.Name },
            },
            ["spec"] = new JsonObject
            {
                ["restartPolicy"] = "Never",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "restore",
                    ["image"] = HelperImage,
                    ["command"] = new JsonArray("sleep", ((long)component.Timeout.TotalSeconds * 4).ToString(CultureInfo.InvariantCulture)),
                    ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = mountPath }),
                }),
                ["volumes"] = new JsonArray(new JsonObject
                {
                    ["name"] = "data",
                    ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = pvc },
                }),
            },
        };
        var bytes = Encoding.UTF8.GetBytes(pod.ToJsonString());
        progress($"{component.Name}: starting helper pod {name} for PVC {pvc}");
        await _client.RunAsync(["create", "-f", "-"], cancellationToken, (stdin, ct) => stdin.WriteAsync(bytes, ct).AsTask()).ConfigureAwait(false);
        try
        {
            await _client.RunAsync(["wait", "pod/" + name, "--for=condition=Ready", Timeout], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackvaultException or OperationCanceledException)
        {
            await DeleteHelperAsync(name).ConfigureAwait(false);
            throw;
        }

        return name;
    }

    private async Task DeleteHelperAsync(string name)
    {
        try
        {
            await _client.RunAsync(["delete", "pod", name, "--ignore-not-found", "--wait=false"], CancellationToken.None).ConfigureAwait(false);
        }
        catch (StackvaultException e)
        {
            progress($"{component.Name}: could not delete helper pod {name}: {e.Message}");
        }
    }
}
