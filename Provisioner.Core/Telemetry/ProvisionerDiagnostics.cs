using System.Diagnostics;

namespace Provisioner.Core.Telemetry;

/// <summary>The one activity source (spans) of our own code; the meter is <see cref="ProvisionerMetrics"/>'s.</summary>
public static class ProvisionerDiagnostics
{
    public const string Name = "Provisioner";

    public static readonly ActivitySource Source = new(Name);
}
