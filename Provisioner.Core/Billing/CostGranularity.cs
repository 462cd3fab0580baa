namespace Provisioner.Core.Billing;

/// <summary>The size of a rollup bucket.</summary>
public enum CostGranularity
{
    Hour,
    Day,
}
