namespace Provisioner.Core.Providers;

/// <summary>Builds a machine's <see cref="CloudMachine.Metadata"/> from what a cloud answered, leaving out what it left empty.</summary>
public static class MachineMetadata
{
    public static IReadOnlyDictionary<string, string> Of(params (string Key, string? Value)[] details) =>
        details.Where(d => !string.IsNullOrWhiteSpace(d.Value))
            .ToDictionary(d => d.Key, d => d.Value!, StringComparer.Ordinal);
}
