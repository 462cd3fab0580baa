using Provisioner.Core.Instances;

namespace Provisioner.Core.Placement;

/// <summary>A cloud that publishes its prices and stock (NovitaAI's product list); the placer ranks by them over the catalog's.</summary>
public interface ILivePrices
{
    CloudProviderName Provider { get; }

    /// <summary>The prices of what the cloud sells in these regions now, by instance type and region.</summary>
    Task<IReadOnlyDictionary<(string InstanceType, string Region), LivePrice>> ReadAsync(IReadOnlyCollection<string> regions, CancellationToken cancellationToken);
}
