namespace Provisioner.Tests.Fakes.Novita;

/// <summary>A product the local Novita sells: per-GPU prices in USD (served in Novita's 1/100,000 units), and where.</summary>
public sealed record LocalNovitaProduct(string Id, string Name, decimal PricePerGpuHour, decimal? SpotPricePerGpuHour, IReadOnlyList<string> Clusters, int MaxRootFS = 1000)
{
    /// <summary>The same products and clusters as the catalog's NOVITA entries.</summary>
    public static IReadOnlyList<LocalNovitaProduct> Defaults { get; } =
    [
        new("prod-3090", "RTX 3090 24GB", 0.21m, 0.11m, ["US-CA-06", "US-TX-02", "EU-DE-01"]),
        new("prod-4090", "RTX 4090 24GB", 0.35m, 0.18m, ["US-CA-06", "US-TX-02", "EU-DE-01"]),
        new("prod-l40s", "L40S 48GB", 0.55m, 0.28m, ["US-CA-06", "EU-DE-01"]),
        new("prod-a100", "A100 SXM4 80GB", 1.40m, 0.70m, ["US-CA-06", "US-TX-02", "EU-DE-01"]),
        new("prod-h100", "H100 SXM 80GB", 2.56m, null, ["US-CA-06", "US-TX-02"]),
    ];
}
