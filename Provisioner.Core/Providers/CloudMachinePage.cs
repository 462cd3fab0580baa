namespace Provisioner.Core.Providers;

/// <summary>One page of <see cref="ICloudProvider.ListOwnedAsync"/>.</summary>
/// <param name="NextPageToken">Opaque; null on the last page.</param>
/// <param name="Unread">
/// Regions this page could not read in full (a refused or failed call there), with the cloud's error: the listing goes
/// on with the other regions, and a caller concludes nothing from a machine missing in these.
/// </param>
public sealed record CloudMachinePage(IReadOnlyList<CloudMachine> Machines, string? NextPageToken, IReadOnlyList<UnreadRegion>? Unread = null);

/// <summary>A region a listing could not read in full, and why, classified.</summary>
public sealed record UnreadRegion(string Region, CloudProviderException Error);
