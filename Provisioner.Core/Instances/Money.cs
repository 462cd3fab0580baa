namespace Provisioner.Core.Instances;

/// <summary>How amounts (USD) are shown: at most four decimals, no trailing zeros from the database's scale.</summary>
public static class Money
{
    public static decimal Round(decimal amount) => Normalize(decimal.Round(amount, 4, MidpointRounding.AwayFromZero));

    /// <summary>0.900000 (numeric(12,6)) → 0.9: dividing by one with 28 zeros drops the trailing zeros.</summary>
    public static decimal Normalize(decimal amount) => amount / 1.0000000000000000000000000000m;
}
