namespace Provisioner.Core.Instances;

/// <summary>Tenants (owners) of instances.</summary>
public static class Tenants
{
    /// <summary>The owner of every instance until API keys name tenants.</summary>
    public const string Default = "default";
}
