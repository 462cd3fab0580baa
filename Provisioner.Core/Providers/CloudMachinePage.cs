namespace Provisioner.Core.Providers;

/// <summary>One page of <see cref="ICloudProvider.ListOwnedAsync"/>.</summary>
/// <param name="NextPageToken">Opaque; null on the last page.</param>
public sealed record CloudMachinePage(IReadOnlyList<CloudMachine> Machines, string? NextPageToken);
