using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Hosting;

/// <summary>Settings every process shares. Section <c>Provisioner</c>.</summary>
public sealed class ProvisionerOptions
{
    public const string Section = "Provisioner";

    /// <summary>
    /// Names this deployment on the machines it launches (tag <c>provisioner:cluster</c>), so two deployments
    /// sharing a cloud account never take each other's machines for orphans. Default <c>default</c>.
    /// </summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,39}$")]
    public string ClusterName { get; set; } = "default";
}
