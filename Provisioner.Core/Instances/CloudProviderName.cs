namespace Provisioner.Core.Instances;

/// <summary>The clouds a client may ask for. Serialized upper-case (AWS, AZURE, NOVITA, SIMULATED).</summary>
public enum CloudProviderName
{
    Aws,
    Azure,
    Novita,
    Simulated,
}
