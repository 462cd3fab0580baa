using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Providers.Azure;

/// <summary>
/// The Azure Compute adapter. Section <c>Providers:Azure</c>. Credentials are never set here: they come from
/// Azure.Identity's <c>DefaultAzureCredential</c> (environment service principal, workload identity, managed
/// identity, Azure CLI).
/// </summary>
public sealed class AzureOptions : ICloudAdapterOptions
{
    public const string Section = "Providers:Azure";

    /// <summary>Serve <c>AZURE</c> requests from Azure (otherwise the simulated cloud stands in). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The subscription every machine is created in. Required when enabled.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>
    /// The resource group every machine (and its NIC, public IP and OS disk) is created in; machines are named and
    /// found in it, so it must not change while machines are alive. Required when enabled.
    /// </summary>
    public string? ResourceGroup { get; set; }

    /// <summary>
    /// The subnet per region (<c>Subnets:eastus</c>), as a full resource id. The regions named here are the only
    /// ones <c>AZURE</c> requests may name: a machine cannot be created where it has no subnet.
    /// </summary>
    public Dictionary<string, string> Subnets { get; set; } = [];

    /// <summary>
    /// A network security group for each machine's NIC (a full resource id); none relies on the subnet's own. A
    /// Standard public IP lets nothing in until a security group allows it.
    /// </summary>
    public string? NetworkSecurityGroupId { get; set; }

    /// <summary>
    /// The image per size (<c>Images:Standard_NC4as_T4_v3</c>), per region and size (<c>Images:eastus:Standard_NC4as_T4_v3</c>)
    /// or per region (<c>Images:eastus</c>): a marketplace URN <c>publisher:offer:sku:version</c> or an image or
    /// gallery image version resource id.
    /// </summary>
    public Dictionary<string, string> Images { get; set; } = [];

    /// <summary>
    /// The image where <see cref="Images"/> names none. Default <see cref="AzureDefaults.Image"/>: Microsoft's
    /// Ubuntu 22.04 HPC image, which carries the NVIDIA driver and CUDA (a Gen2 image). Empty: a launch with no
    /// image configured fails as invalid.
    /// </summary>
    public string? DefaultImage { get; set; } = AzureDefaults.Image;

    /// <summary>The Linux administrator. Default <c>azureuser</c> (Azure refuses names such as <c>root</c> and <c>admin</c>).</summary>
    public string AdminUsername { get; set; } = "azureuser";

    /// <summary>The SSH public key (OpenSSH format) put on every machine; password logins are off. Required when enabled.</summary>
    public string? SshPublicKey { get; set; }

    /// <summary>Give each machine a Standard static public IP, deleted with it. Default true.</summary>
    public bool PublicIp { get; set; } = true;

    /// <summary>Accelerated networking on the NIC (NCasT4_v3, NC A100 v4 and ND H100 v5 have it; the older NC and NV sizes do not). Default false.</summary>
    public bool AcceleratedNetworking { get; set; }

    /// <summary>The OS disk's storage type. Default <c>StandardSSD_LRS</c>, which every GPU size accepts (the older NC and NV sizes take no Premium storage).</summary>
    public string OsDiskType { get; set; } = "StandardSSD_LRS";

    /// <summary>Send every call here instead of Azure Resource Manager (another cloud, a local ARM). Must be https.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The token audience for <see cref="Endpoint"/>. Default the public cloud's, <c>https://management.azure.com/</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>Longest one ARM call may take at the HTTP level. Default 60 s (the resilience pipeline's attempt timeout is usually shorter).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Resources per listing page (the Resources API's <c>$top</c>), each page then read machine by machine. Default 100.</summary>
    [Range(1, 1000)]
    public int ListPageSize { get; set; } = 100;

    public string? ImageFor(string region, string size) =>
        Images.TryGetValue($"{region}:{size}", out var specific) ? specific
        : Images.TryGetValue(size, out var bySize) ? bySize
        : Images.TryGetValue(region, out var regional) ? regional
        : string.IsNullOrEmpty(DefaultImage) ? null : DefaultImage;
}
