using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Providers.Aws;

/// <summary>
/// The EC2 adapter. Section <c>Providers:Aws</c>. Credentials are never set here: they come from AWSSDK.Core's
/// standard chain (environment variables, shared profile, SSO, instance or container role).
/// </summary>
public sealed class AwsOptions : ICloudAdapterOptions
{
    public const string Section = "Providers:Aws";

    /// <summary>Serve <c>AWS</c> requests from real EC2 (otherwise the simulated cloud stands in). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Regions reconciliation lists. Default: the regions of the catalog.</summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>Send every call here instead of <c>https://ec2.{region}.amazonaws.com</c> (a local EC2, a VPC endpoint).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// The machine image per region (<c>Images:us-east-1</c>), or per region and type (<c>Images:us-east-1:p5.48xlarge</c>):
    /// an AMI id, or <c>resolve:ssm:</c> and an SSM parameter holding one.
    /// </summary>
    public Dictionary<string, string> Images { get; set; } = [];

    /// <summary>
    /// The image where <see cref="Images"/> names none. Default: AWS's public SSM parameter for the latest Deep
    /// Learning Base OSS Nvidia Driver GPU AMI on Ubuntu 22.04 (x86_64), which EC2 resolves in every region at launch
    /// (the workers then need <c>ssm:GetParameters</c> on it). Empty: a launch with no image configured fails as invalid.
    /// </summary>
    public string? DefaultImage { get; set; } = "resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id";

    /// <summary>Subnet per region (<c>Subnets:us-east-1</c>); none uses the default VPC.</summary>
    public Dictionary<string, string> Subnets { get; set; } = [];

    /// <summary>Security groups per region (<c>SecurityGroups:us-east-1:0</c>).</summary>
    public Dictionary<string, List<string>> SecurityGroups { get; set; } = [];

    /// <summary>The root device name of the images. Default <c>/dev/sda1</c> (Ubuntu and the Deep Learning AMIs).</summary>
    public string RootDeviceName { get; set; } = "/dev/sda1";

    /// <summary>
    /// How long after its deadline a machine powers itself off (and, with shutdown behaviour <c>terminate</c>,
    /// is deleted) even if this whole system is down. Default 10 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DeadManMargin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest one EC2 call may take at the HTTP level. Default 60 s (the resilience pipeline's attempt timeout is usually shorter).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Reservations per DescribeInstances page when listing (EC2 allows 5-1000). Default 1000.</summary>
    [Range(5, 1000)]
    public int ListPageSize { get; set; } = 1000;

    public string? ImageFor(string region, string instanceType) =>
        Images.TryGetValue($"{region}:{instanceType}", out var specific) ? specific
        : Images.TryGetValue(region, out var regional) ? regional
        : string.IsNullOrEmpty(DefaultImage) ? null : DefaultImage;
}
