using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Billing;

/// <summary>Each provider's billing rule, loaded once from the embedded <c>Catalog/Data/billing-rules.json</c>.</summary>
public sealed class BillingRules(IReadOnlyDictionary<CloudProviderName, BillingRule> rules)
{
    private const string ResourceName = "Provisioner.Core.Catalog.Data.billing-rules.json";

    private readonly FrozenDictionary<CloudProviderName, BillingRule> _rules = rules.ToFrozenDictionary();

    public BillingRule For(CloudProviderName provider) => _rules.GetValueOrDefault(provider, BillingRule.PerSecond);

    public static BillingRules LoadEmbedded()
    {
        using var stream = typeof(BillingRules).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded billing rules '{ResourceName}' are missing.");
        var file = JsonSerializer.Deserialize<Dictionary<string, RuleFile>>(stream, Json)
            ?? throw new InvalidDataException("The billing rules are empty.");
        return new BillingRules(file.ToDictionary(r => Enum.Parse<CloudProviderName>(r.Key, ignoreCase: true), r => r.Value.ToRule()));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record RuleFile(int IncrementSeconds, int MinimumSeconds, BillingStop StopsAt, string Source)
    {
        public BillingRule ToRule() => IncrementSeconds < 1 || MinimumSeconds < 0
            ? throw new InvalidDataException($"A billing rule needs an increment of at least 1 s and a minimum of at least 0 s ({Source}).")
            : new BillingRule(IncrementSeconds, MinimumSeconds, StopsAt);
    }
}
