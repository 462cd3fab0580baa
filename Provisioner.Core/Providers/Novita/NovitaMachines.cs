using System.Globalization;
using System.Text.Json;

namespace Provisioner.Core.Providers.Novita;

/// <summary>
/// A Novita instance as the port's <see cref="CloudMachine"/>. Novita's <c>running</c> is the container started; it is
/// usable once its SSH component runs (<c>connectComponentSSH.isRunning</c>): before that it is initializing. An instance
/// with a <c>statusError</c> that is not running is one Novita gave up on.
/// </summary>
internal static class NovitaMachines
{
    public static CloudMachine ToMachine(NovitaInstance instance, string clusterName, DateTimeOffset fallbackLaunchedAt, decimal? spotPricePerHour = null)
    {
        var failure = instance.Status is "running" ? null : NovitaErrorClassifier.ClassifyStatusError(instance.StatusError?.State, instance.StatusError?.Message);
        var state = StateOf(instance.Status, instance.ConnectComponentSSH?.IsRunning == true, failure is not null);
        var reachable = state is CloudMachineState.Initializing or CloudMachineState.Running;
        return new CloudMachine(
            instance.Id,
            state,
            instance.ProductName ?? string.Empty,
            instance.ClusterId ?? string.Empty,
            reachable ? PublicHostOf(instance) : null,
            reachable ? instance.Network?.Ip : null,
            CreatedAtOf(instance) ?? fallbackLaunchedAt,
            NovitaNames.ReadInstanceId(clusterName, instance.Name),
            failure,
            spotPricePerHour,
            MachineMetadata.Of(
                ("clusterId", instance.ClusterId),
                ("productId", instance.ProductId),
                ("productName", instance.ProductName),
                ("gpuNum", instance.GpuNum?.ToString(CultureInfo.InvariantCulture)),
                ("billingMode", instance.BillingMode)),
            StoppedAt: state is CloudMachineState.ShuttingDown or CloudMachineState.Failed ? TimeOf(instance.LastStoppedAt) : null,
            Health: HealthOf(instance, state),
            HealthDetail: HealthOf(instance, state) == CloudMachineHealth.Impaired ? $"statusError {instance.StatusError!.State}: {instance.StatusError.Message}" : null);
    }

    /// <summary>
    /// A running instance with a <c>statusError</c> is impaired (Novita says something is wrong, yet it runs and bills); one
    /// whose SSH component runs is healthy. Novita gives no time for the error: the watch measures from its first report.
    /// </summary>
    private static CloudMachineHealth HealthOf(NovitaInstance instance, CloudMachineState state) => state switch
    {
        CloudMachineState.Initializing or CloudMachineState.Running when instance.StatusError is { State.Length: > 0 } => CloudMachineHealth.Impaired,
        CloudMachineState.Running => CloudMachineHealth.Ok,
        _ => CloudMachineHealth.Unknown,
    };

    /// <summary>Novita's statuses (its list-instances reference) onto ours.</summary>
    internal static CloudMachineState StateOf(string? status, bool sshRunning, bool failed) => status switch
    {
        _ when failed => CloudMachineState.Failed,
        "running" when sshRunning => CloudMachineState.Running,
        "running" => CloudMachineState.Initializing,
        "toCreate" or "creating" or "pulling" or "toStart" or "starting" or "toRestart" or "restarting"
            or "toReset" or "resetting" or "migrating" => CloudMachineState.Pending,
        // Stopped by anyone but us (or frozen for an unpaid bill): it will not run again by our hand.
        "toStop" or "stopping" or "exited" or "freezing" or "toRemove" or "removing" => CloudMachineState.ShuttingDown,
        "removed" => CloudMachineState.Terminated,
        _ => CloudMachineState.Pending,
    };

    public static bool IsGone(NovitaInstance instance) => instance.Status is "removed";

    /// <summary>Novita gives no public IP field: the host of the first port mapping's endpoint (<c>host:port</c>) is where the machine is reached.</summary>
    private static string? PublicHostOf(NovitaInstance instance)
    {
        var endpoint = instance.PortMappings?.Select(p => p.Endpoint).FirstOrDefault(e => !string.IsNullOrEmpty(e));
        if (endpoint is null)
        {
            return null;
        }

        var withScheme = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : $"tcp://{endpoint}";
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) ? uri.Host : null;
    }

    /// <summary>The timestamp format is not documented: seconds since the epoch (number or string) or ISO-8601 are read.</summary>
    private static DateTimeOffset? CreatedAtOf(NovitaInstance instance) => TimeOf(instance.CreatedAt);

    private static DateTimeOffset? TimeOf(JsonElement? field)
    {
        if (field is not { } value)
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }
}
