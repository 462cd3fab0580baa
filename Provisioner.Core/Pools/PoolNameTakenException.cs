namespace Provisioner.Core.Pools;

/// <summary>Another pool not deleted has the name.</summary>
public sealed class PoolNameTakenException(string name) : Exception($"A pool named '{name}' exists.")
{
    public string Name { get; } = name;
}
