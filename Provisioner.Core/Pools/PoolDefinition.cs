using Provisioner.Core.Instances;

namespace Provisioner.Core.Pools;

/// <summary>A new pool as an operator asked for it, already validated.</summary>
public sealed record PoolDefinition(
    string Name, CloudProviderName Provider, string InstanceType, string Region, int DiskSizeGB, PoolSize Size, string[] Tenants);
