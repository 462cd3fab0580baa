namespace Provisioner.Core.Providers.Azure;

/// <summary>The constants behind <see cref="AzureOptions"/>' defaults and the wire values the adapter relies on.</summary>
public static class AzureDefaults
{
    /// <summary>Microsoft's Ubuntu 22.04 HPC image (NVIDIA driver, CUDA, InfiniBand stack), as a marketplace URN.</summary>
    public const string Image = "microsoft-dsvm:ubuntu-hpc:2204:latest";

    /// <summary>
    /// The Network API version Compute uses for the NIC and public IP it creates inline (the only value Compute 1.2.0
    /// knows), and the one this adapter reads them back with: Azure.ResourceManager.Network is not used.
    /// </summary>
    public const string NetworkApiVersion = "2020-11-01";
}
